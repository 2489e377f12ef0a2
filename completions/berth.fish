# fish completion for berth. The candidates come from `berth __complete`,
# which reads berth's own command and flag definitions and the compose project
# the command line points at (service, profile and environment names).
# Installed as share/fish/vendor_completions.d/berth.fish.

function __berth_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    for line in ($tokens[1] __complete -- $tokens[2..-1] $current 2>/dev/null)
        switch $line
            case :files
                __fish_complete_path $current
            case :dirs
                __fish_complete_directories $current
            case '*'
                # "value<TAB>description" is fish's own format.
                printf '%s\n' $line
        end
    end
end

complete -c berth -f -a '(__berth_complete)'
