# Writes a man page per command from berth's own help text (so the pages
# cannot drift from the CLI): berth.1 from `berth --help`, berth-CMD.1 from
# `berth CMD --help`, berth-stack-SUB.1 for stack's subcommands.
#   cmake -DBERTH=<binary> -DOUT=<dir> -DVERSION=<version> -P man_pages.cmake
cmake_minimum_required(VERSION 3.20)
file(MAKE_DIRECTORY "${OUT}")

function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  # A line starting with '.' or '\'' would be read as a request.
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(write_page page_name title description help_args)
  execute_process(COMMAND "${BERTH}" ${help_args} OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "berth ${help_args}: exit ${status}")
  endif()
  roff_escape("${help}" help)
  roff_escape("${description}" description)
  string(TOUPPER "${page_name}" upper)
  file(WRITE "${OUT}/${page_name}.1"
".TH ${upper} 1 \"\" \"berth ${VERSION}\" \"berth manual\"
.SH NAME
${page_name} \\- ${description}
.SH SYNOPSIS AND OPTIONS
.nf
${help}
.fi
.SH SEE ALSO
${title}
")
endfunction()

write_page(berth "berth-up(1), berth-config(1), berth-audit(1)"
           "run multi-container applications defined in compose files" "--help")

execute_process(COMMAND "${BERTH}" __complete -- "" OUTPUT_VARIABLE listing)
string(REPLACE ";" "," listing "${listing}")
string(REGEX MATCHALL "[^\n]+" lines "${listing}")
foreach(line IN LISTS lines)
  string(FIND "${line}" "\t" tab)
  if(tab EQUAL -1)
    continue()
  endif()
  string(SUBSTRING "${line}" 0 ${tab} command)
  math(EXPR rest "${tab} + 1")
  string(SUBSTRING "${line}" ${rest} -1 description)
  if(command STREQUAL "__complete")
    continue()
  endif()
  write_page("berth-${command}" "berth(1)" "${description}" "${command};--help")
  if(command STREQUAL "stack")
    foreach(sub deploy ls ps services rm)
      write_page("berth-stack-${sub}" "berth(1), berth-stack(1)" "berth stack ${sub}" "stack;${sub};--help")
    endforeach()
  endif()
endforeach()
