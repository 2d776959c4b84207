import { readFileSync } from 'node:fs';
import { parse, YAMLParseError } from 'yaml';

/**
 * A start refused for a reason the operator can fix: a setting, a file, a port, the database.
 * Its message is the whole report (what, where, how to fix it), printed as it is and without a
 * stack trace, which would bury it; anything else that fails a start is a bug and keeps its stack.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }

  /** `what` on its first line, each problem on its own, then the fix. */
  static of(what: string, problems: readonly string[], fix: string): StartupError {
    return new StartupError(`${what}${problems.map((problem) => `\n  - ${problem}`).join('')}\n  Fix: ${fix}`);
  }
}

/**
 * A YAML file a setting names (the bootstrap file, the routes file): a missing or unreadable file
 * and a YAML syntax error are StartupErrors naming the setting, the file and the line.
 */
export function readYamlFile(setting: string, path: string): unknown {
  return parseYaml(setting, path, readSettingFile(setting, path));
}

/** The text of a file a setting names; a missing or unreadable one is a StartupError. */
export function readSettingFile(setting: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable by this process' : `cannot be read (${code ?? 'error'})`;
    throw StartupError.of(`${setting} ${path}: ${why}`, [], `point ${setting} at the file, or create it`);
  }
}

/** Parses YAML text read from `path`; a syntax error names the line and column. */
export function parseYaml(setting: string, path: string, text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const at = error.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'somewhere';
    // The parser's message repeats the offending lines after its first line: the first is the reason.
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw StartupError.of(`${setting} ${path} is not valid YAML`, [`${where}: ${reason}`], `correct ${path} at ${where}`);
  }
}
