/**
 * The bash completion script, generated from the command tree. It walks the words typed so far,
 * keeping those that name a (sub)command (a KIND/NAME word as its KIND) and skipping option
 * values, and offers that command's subcommands and options; after `--site` it offers the sites in SKIFF_HOME, after an option with
 * choices the choices, after any other option with a value files. zsh runs the same function
 * through bashcompinit, so there is one script to keep right.
 */
import type { CompletionNode } from './command-tree.js';

const quote = (words: string[]): string => `"${words.join(' ')}"`;

export function bashScript(nodes: CompletionNode[]): string {
  const options = nodes.flatMap((n) => n.options);
  const valued = [...new Set(options.filter((o) => o.takesValue).flatMap((o) => o.flags))];
  const withChoices = [...new Map(options.filter((o) => o.choices.length > 0).map((o) => [o.flags.join('|'), o])).values()];
  // Options with their own completions above; the rest of those taking a value complete files.
  const special = new Set(['--site', ...withChoices.flatMap((o) => o.flags)]);
  const plainValued = valued.filter((f) => !special.has(f));
  // The root's options (-o, --site) are accepted after any command, so they are offered everywhere.
  const globals = (nodes.find((n) => n.path.length === 0)?.options ?? []).flatMap((o) => o.flags).filter((f) => f !== '--help');
  const commandPaths = nodes.filter((n) => n.path.length > 0).map((n) => quote(n.path));
  const candidates = nodes.map((n) => {
    const flags = n.options.flatMap((o) => o.flags);
    const words = [...n.subcommands, ...n.argumentChoices, ...flags, ...globals.filter((g) => !flags.includes(g))];
    return `    ${quote(n.path)}) words=${quote(words)} ;;`;
  });
  const choices = withChoices.map((o) => `    ${o.flags.join('|')}) COMPREPLY=($(compgen -W ${quote(o.choices)} -- "$cur")); return ;;`);
  return `# skiff completion for bash: source <(skiff completion bash)
_skiff_sites() {
  local home="\${SKIFF_HOME:-\${XDG_DATA_HOME:-$HOME/.local/share}/skiff}"
  [ -d "$home/sites" ] && ls "$home/sites"
}

_skiff() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" word next i
  case "$prev" in
    --site) COMPREPLY=($(compgen -W "$(_skiff_sites)" -- "$cur")); return ;;
${choices.join('\n')}
    ${plainValued.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      ${valued.join('|')}) ((i++)) ;;
      -*) ;;
      *)
        # KIND/NAME counts as KIND: expose deployment/hello completes as expose deployment.
        next="\${path:+$path }\${word%%/*}"
        case "$next" in ${commandPaths.join('|')}) path="$next" ;; esac
        ;;
    esac
  done
  local words=""
  case "$path" in
${candidates.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  # A command that takes a file (token create, link create) completes file names too.
  [ \${#COMPREPLY[@]} -eq 0 ] && [[ "$cur" != -* ]] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -F _skiff skiff
`;
}

/** zsh: the bash function through zsh's bash completion emulation. */
export function zshScript(nodes: CompletionNode[]): string {
  return `# skiff completion for zsh: source <(skiff completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(nodes).replace(/^# skiff completion for bash.*\n/, '')}`;
}
