# bash completion for berth. The candidates come from `berth __complete`,
# which reads berth's own command and flag definitions and the compose project
# the command line points at (service, profile and environment names).
# Installed as share/bash-completion/completions/berth; or: source berth.bash

_berth() {
  # bash splits "--progress=plain" and "web:x" at '=' and ':'
  # (COMP_WORDBREAKS); berth wants the words as typed, so glue them back.
  local -a words=()
  local cword=0 i glue_next=0 word
  for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
    word=${COMP_WORDS[i]}
    if ((i > 0)) && [[ $word =~ ^[=:]+$ ]]; then
      words[${#words[@]}-1]+=$word
      glue_next=1
    elif ((glue_next)); then
      words[${#words[@]}-1]+=$word
      glue_next=0
    else
      words+=("$word")
    fi
    ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
  done
  local cur=${words[cword]}

  local -a lines
  mapfile -t lines < <("${words[0]}" __complete -- "${words[@]:1:cword-1}" "$cur" 2>/dev/null)
  COMPREPLY=()
  local line
  for line in "${lines[@]}"; do
    case $line in
      :files)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
        ;;
      :dirs)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
        ;;
      *) COMPREPLY+=("${line%%$'\t'*}") ;;
    esac
  done

  # bash replaces only the text after the last word break: drop what comes
  # before it from the candidates.
  local breaks=${COMP_WORDBREAKS//[^=:]/}
  if [[ -n $breaks && $cur == *["$breaks"]* ]]; then
    local strip=${cur%"${cur##*["$breaks"]}"}
    COMPREPLY=("${COMPREPLY[@]#"$strip"}")
  fi
  # "web=" (--scale) waits for a number: no space after it.
  if ((${#COMPREPLY[@]} > 0)) && [[ ${COMPREPLY[0]} == *= ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}

complete -F _berth berth
