/** Just enough of a Dockerfile reader for the deployables test: stages and their instructions. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages; continuation lines are joined, comments dropped, `${ARG}`s of FROM resolved. */
export function parseDockerfile(text: string): { globalArgs: Record<string, string>; stages: Stage[] } {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', , name] = args.split(/\s+/);
      stages.push({ name, image: image.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs[arg] ?? ''), instructions: [] });
    } else if (stages.length === 0 && upper === 'ARG') {
      const [arg = '', value = ''] = args.split('=');
      globalArgs[arg] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return { globalArgs, stages };
}

/** `ENV A=1 B=2` (the key=value form) as a map. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const [, name, value] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[name] = value.replace(/^"|"$/g, '');
  }
  return env;
}
