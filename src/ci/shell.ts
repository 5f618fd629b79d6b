// A small POSIX-shell tokenizer shared by every CI reader: enough of the shell grammar to find the simple commands a
// script runs and their words, never enough to execute anything. One pass over the text, never throws; what it does
// not model (case patterns, arithmetic, here-strings' contents) degrades to harmless extra words.
// Grammar followed: https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html (2.3 token recognition,
// 2.2 quoting, 2.7.4 here-documents, 2.9 commands).

/** One word of a command after quote removal. Expansions stay as written (`$X`, `${X}`, `$(…)`, `` `…` ``). */
export interface ShellWord {
  value: string;
  /** Offset in the script of the word's first character. */
  start: number;
  /** Offset just after the word's last character. */
  end: number;
  /** Some part was quoted or escaped. */
  quoted: boolean;
  /** Holds an expansion whose value the text does not tell (`$X`, `${…}`, `$(…)`, backticks). */
  dynamic: boolean;
}

/** One command as the tokenizer split it (before keywords, assignments and wrappers are stripped). */
export interface ShellCommand {
  words: ShellWord[];
  /** Nesting of `( … )` subshells at the command's start, so callers can undo a `cd` when the subshell ends. */
  depth: number;
}

/** What the tokenizer found, plus the first construct it could not close (unterminated quote, here-document). */
export interface TokenizeResult {
  commands: ShellCommand[];
  problem?: string;
}

/** Splits a script into commands on newlines, `;`, `&&`, `||`, `|`, `&` and parentheses; linear in the text. */
export function tokenizeShell(script: string): TokenizeResult {
  return new Tokenizer(script).run();
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
}

class Tokenizer {
  private i = 0;
  private readonly commands: ShellCommand[] = [];
  private words: ShellWord[] = [];
  private depth = 0;
  private commandDepth = 0;
  private value = "";
  private wordStart = -1;
  private quoted = false;
  private dynamic = false;
  private dropNextWord = false;
  private readonly heredocs: PendingHeredoc[] = [];
  private problem: string | undefined;

  constructor(private readonly s: string) {}

  run(): TokenizeResult {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === "\n") {
        this.endCommand();
        this.i++;
        if (this.heredocs.length > 0) this.skipHeredocBodies();
        continue;
      }
      if (c === " " || c === "\t" || c === "\r") {
        this.endWord();
        this.i++;
        continue;
      }
      if (c === "#" && this.wordStart < 0) {
        const newline = s.indexOf("\n", this.i);
        this.i = newline < 0 ? s.length : newline;
        continue;
      }
      if (c === "\\") {
        this.escape();
        continue;
      }
      if (c === "'") {
        this.singleQuoted(this.i + 1);
        continue;
      }
      if (c === "\"") {
        this.doubleQuoted();
        continue;
      }
      if (c === "$") {
        this.dollar();
        continue;
      }
      if (c === "`") {
        this.backtick();
        continue;
      }
      if (c === ";" || c === "|") {
        this.endCommand();
        this.i += s[this.i + 1] === c || (c === ";" && s[this.i + 1] === "&") || (c === "|" && s[this.i + 1] === "&") ? 2 : 1;
        continue;
      }
      if (c === "&") {
        if (s[this.i + 1] === ">") {
          this.redirect();
          continue;
        }
        this.endCommand();
        this.i += s[this.i + 1] === "&" ? 2 : 1;
        continue;
      }
      if (c === "(") {
        if (this.wordStart >= 0 && this.value.endsWith("=")) {
          // An array assignment `a=(x y)`: one opaque word.
          this.appendBalanced(this.i, "(", ")");
          continue;
        }
        this.endCommand();
        this.depth++;
        this.i++;
        continue;
      }
      if (c === ")") {
        this.endCommand();
        if (this.depth > 0) this.depth--;
        this.i++;
        continue;
      }
      if (c === "<" || c === ">") {
        this.redirect();
        continue;
      }
      this.append(c);
      this.i++;
    }
    this.endCommand();
    if (this.heredocs.length > 0) this.problem ??= `here-document ${this.heredocs[0]?.delimiter} is not closed`;
    return this.problem === undefined ? { commands: this.commands } : { commands: this.commands, problem: this.problem };
  }

  private append(text: string): void {
    if (this.wordStart < 0) this.wordStart = this.i;
    this.value += text;
  }

  private endWord(): void {
    if (this.wordStart < 0) return;
    const word: ShellWord = { value: this.value, start: this.wordStart, end: this.i, quoted: this.quoted, dynamic: this.dynamic };
    this.value = "";
    this.wordStart = -1;
    this.quoted = false;
    this.dynamic = false;
    if (this.dropNextWord) {
      this.dropNextWord = false;
      return;
    }
    if (this.words.length === 0) this.commandDepth = this.depth;
    this.words.push(word);
  }

  private endCommand(): void {
    this.endWord();
    this.dropNextWord = false;
    if (this.words.length > 0) this.commands.push({ words: this.words, depth: this.commandDepth });
    this.words = [];
  }

  /** A backslash outside quotes: a line continuation disappears, anything else is taken literally. */
  private escape(): void {
    const s = this.s;
    const next = s[this.i + 1];
    if (next === "\n") {
      this.i += 2;
      return;
    }
    if (next === "\r" && s[this.i + 2] === "\n") {
      this.i += 3;
      return;
    }
    if (next === undefined) {
      this.i++;
      return;
    }
    this.append(next);
    this.quoted = true;
    this.i += 2;
  }

  /** `'…'` from `from` (just after the opening quote): everything literal up to the next `'`. */
  private singleQuoted(from: number): void {
    const close = this.s.indexOf("'", from);
    if (this.wordStart < 0) this.wordStart = this.i;
    this.quoted = true;
    if (close < 0) {
      this.value += this.s.slice(from);
      this.problem ??= "a single quote is not closed";
      this.i = this.s.length;
      return;
    }
    this.value += this.s.slice(from, close);
    this.i = close + 1;
  }

  private doubleQuoted(): void {
    const s = this.s;
    if (this.wordStart < 0) this.wordStart = this.i;
    this.quoted = true;
    let j = this.i + 1;
    while (j < s.length) {
      const c = s[j] as string;
      if (c === "\"") {
        this.i = j + 1;
        return;
      }
      if (c === "\\") {
        const next = s[j + 1];
        if (next === "\n") j += 2;
        else if (next === "$" || next === "`" || next === "\"" || next === "\\") {
          this.value += next;
          j += 2;
        } else {
          this.value += c;
          j++;
        }
        continue;
      }
      if (c === "$" && (s[j + 1] === "(" || s[j + 1] === "{")) {
        j = this.opaque(j + 1, s[j + 1] as string, s[j + 1] === "(" ? ")" : "}", j);
        continue;
      }
      if (c === "$" && isNameStart(s[j + 1])) {
        j = this.variable(j);
        continue;
      }
      if (c === "`") {
        j = this.opaqueBacktick(j);
        continue;
      }
      this.value += c;
      j++;
    }
    this.problem ??= "a double quote is not closed";
    this.i = s.length;
  }

  private dollar(): void {
    const s = this.s;
    const next = s[this.i + 1];
    if (next === "'") {
      // $'…' (ANSI-C quoting): backslash escapes the closing quote; other escapes are kept as written.
      if (this.wordStart < 0) this.wordStart = this.i;
      this.quoted = true;
      let j = this.i + 2;
      while (j < s.length && s[j] !== "'") {
        if (s[j] === "\\" && j + 1 < s.length) {
          this.value += s[j + 1] === "'" ? "'" : s.slice(j, j + 2);
          j += 2;
          continue;
        }
        this.value += s[j];
        j++;
      }
      if (j >= s.length) this.problem ??= "a $'…' quote is not closed";
      this.i = Math.min(s.length, j + 1);
      return;
    }
    if (next === "(" || next === "{") {
      if (this.wordStart < 0) this.wordStart = this.i;
      this.i = this.opaque(this.i + 1, next, next === "(" ? ")" : "}", this.i);
      return;
    }
    if (isNameStart(next) || (next !== undefined && "0123456789?#@*$!-".includes(next))) {
      if (this.wordStart < 0) this.wordStart = this.i;
      this.i = this.variable(this.i);
      return;
    }
    this.append("$");
    this.i++;
  }

  /** `$NAME` or `$?`-style special parameters: kept as written, marks the word dynamic. Returns the next offset. */
  private variable(dollarAt: number): number {
    const s = this.s;
    let j = dollarAt + 1;
    if (isNameStart(s[j])) {
      while (j < s.length && isNameChar(s[j])) j++;
    } else {
      j++;
    }
    this.value += s.slice(dollarAt, j);
    this.dynamic = true;
    return j;
  }

  private backtick(): void {
    if (this.wordStart < 0) this.wordStart = this.i;
    this.i = this.opaqueBacktick(this.i);
  }

  private opaqueBacktick(at: number): number {
    const s = this.s;
    let j = at + 1;
    while (j < s.length && s[j] !== "`") j += s[j] === "\\" ? 2 : 1;
    if (j >= s.length) this.problem ??= "a backtick is not closed";
    const end = Math.min(s.length, j + 1);
    this.value += s.slice(at, end);
    this.dynamic = true;
    return end;
  }

  /**
   * `$(…)`, `$((…))`, `${…}` (and GitHub's `${{ … }}`): kept as one opaque piece of the word. Counts the brackets and
   * skips quoted text inside, so `$(echo ")")` ends where the shell ends it. Returns the offset after the close.
   */
  private opaque(openAt: number, open: string, close: string, from: number): number {
    const end = balancedEnd(this.s, openAt, open, close);
    if (end < 0) this.problem ??= `a ${open === "(" ? "$(" : "${"} is not closed`;
    const stop = end < 0 ? this.s.length : end;
    this.value += this.s.slice(from, stop);
    this.dynamic = true;
    return stop;
  }

  private appendBalanced(openAt: number, open: string, close: string): void {
    this.i = this.opaque(openAt, open, close, openAt);
  }

  /** `>`, `>>`, `<`, `<&`, `&>`, `2>&1`, `<<EOF`, `<<-EOF`, `<<<word`: the target word is not an argument. */
  private redirect(): void {
    const s = this.s;
    // A word of digits right before the operator is a file descriptor (`2>`), not an argument.
    if (this.wordStart >= 0 && !this.quoted && !this.dynamic && /^[0-9]+$/.test(this.value) && this.wordStart + this.value.length === this.i) {
      this.value = "";
      this.wordStart = -1;
    } else {
      this.endWord();
    }
    let j = this.i;
    if (s[j] === "&") j++;
    const op = s[j] as string;
    j++;
    if (op === "<" && s[j] === "<" && s[j + 1] !== "<") {
      j++;
      const stripTabs = s[j] === "-";
      if (stripTabs) j++;
      this.i = j;
      this.heredocDelimiter(stripTabs);
      return;
    }
    while (j < s.length && (s[j] === ">" || s[j] === "<" || s[j] === "&" || s[j] === "|") && j - this.i < 3) j++;
    this.i = j;
    this.dropNextWord = true;
  }

  /** Reads the delimiter word after `<<` (quotes removed) and queues its body to be skipped after the line. */
  private heredocDelimiter(stripTabs: boolean): void {
    const s = this.s;
    while (this.i < s.length && (s[this.i] === " " || s[this.i] === "\t")) this.i++;
    let delimiter = "";
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === "'" || c === "\"") {
        const close = s.indexOf(c, this.i + 1);
        const stop = close < 0 ? s.length : close;
        delimiter += s.slice(this.i + 1, stop);
        this.i = stop + 1;
        continue;
      }
      if (c === "\\" && this.i + 1 < s.length) {
        delimiter += s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (" \t\r\n;&|<>()".includes(c)) break;
      delimiter += c;
      this.i++;
    }
    if (delimiter !== "") this.heredocs.push({ delimiter, stripTabs });
  }

  /** After the newline that ends a line with here-documents: skips each body up to its delimiter line. */
  private skipHeredocBodies(): void {
    const s = this.s;
    while (this.heredocs.length > 0) {
      const { delimiter, stripTabs } = this.heredocs[0] as PendingHeredoc;
      let found = false;
      while (this.i < s.length) {
        const newline = s.indexOf("\n", this.i);
        const lineEnd = newline < 0 ? s.length : newline;
        let line = s.slice(this.i, lineEnd);
        if (line.endsWith("\r")) line = line.slice(0, -1);
        if (stripTabs) line = line.replace(/^\t+/, "");
        this.i = newline < 0 ? s.length : newline + 1;
        if (line === delimiter) {
          found = true;
          break;
        }
      }
      if (!found) return;
      this.heredocs.shift();
    }
  }
}

/**
 * The offset just after the bracket that closes the one at `openAt`, skipping quoted text and escapes; -1 when it
 * never closes. Linear: every character is looked at once.
 */
export function balancedEnd(s: string, openAt: number, open: string, close: string): number {
  let depth = 0;
  let j = openAt;
  while (j < s.length) {
    const c = s[j];
    if (c === "\\") {
      j += 2;
      continue;
    }
    if (c === "'" && open === "(") {
      const q = s.indexOf("'", j + 1);
      if (q < 0) return -1;
      j = q + 1;
      continue;
    }
    if (c === "\"") {
      j++;
      while (j < s.length && s[j] !== "\"") j += s[j] === "\\" ? 2 : 1;
      j++;
      continue;
    }
    if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return -1;
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_");
}

function isNameChar(c: string | undefined): boolean {
  return isNameStart(c) || (c !== undefined && c >= "0" && c <= "9");
}

/** A simple command with what surrounds the program stripped: keywords, `VAR=value` prefixes, wrappers. */
export interface SimpleCommand {
  /** Program and arguments; expansions kept as written. */
  argv: string[];
  /** Whether each argv word holds an expansion (its value is unknown). */
  dynamic: boolean[];
  /** `NAME=value` assignments before the program (and `env NAME=value`). */
  assignments: Record<string, string>;
  /** Offset of the command's first word (the first keyword, assignment or wrapper), for line numbers. */
  start: number;
  /** Offset after its last word. */
  end: number;
}

/** Words that open or continue compound commands and precede a simple command on the same line. */
const PREFIX_KEYWORDS: ReadonlySet<string> = new Set(["!", "{", "}", "then", "do", "else", "elif", "if", "while", "until"]);
/** Words that end compound commands: alone they are no command. */
const CLOSING_KEYWORDS: ReadonlySet<string> = new Set(["fi", "done", "esac", "}", ";;"]);
/** Compound commands whose words are not a program and its arguments. */
const SKIPPED_KEYWORDS: ReadonlySet<string> = new Set(["for", "case", "select", "function", "in", "[[", "((", "]]"]);

/** Options that take a value, per wrapper, so the value is not mistaken for the program. */
const WRAPPERS: Readonly<Record<string, { flagsWithValue: ReadonlySet<string>; positional?: number }>> = {
  sudo: { flagsWithValue: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group", "--chdir"]) },
  doas: { flagsWithValue: new Set(["-u", "-C"]) },
  env: { flagsWithValue: new Set(["-u", "-C", "-S", "--unset", "--chdir", "--split-string"]) },
  exec: { flagsWithValue: new Set(["-a"]) },
  nohup: { flagsWithValue: new Set() },
  command: { flagsWithValue: new Set() },
  builtin: { flagsWithValue: new Set() },
  time: { flagsWithValue: new Set(["-f", "-o", "--format", "--output"]) },
  nice: { flagsWithValue: new Set(["-n", "--adjustment"]) },
  timeout: { flagsWithValue: new Set(["-s", "-k", "--signal", "--kill-after"]), positional: 1 },
  stdbuf: { flagsWithValue: new Set(["-i", "-o", "-e"]) },
  xargs: { flagsWithValue: new Set(["-n", "-I", "-L", "-P", "-d", "-E", "-s", "-a", "--max-args", "--max-procs", "--delimiter", "--arg-file", "--replace"]) },
};

/**
 * Strips keywords (`if`, `then`, `do`, `!`, …), leading assignments and common wrappers (`sudo`, `env`, `time`,
 * `exec`, `nohup`, `command`, `nice`, `timeout`, `stdbuf`, `xargs`) so `argv[0]` is the program that runs. Returns
 * undefined when nothing runs (`fi`, `done`, a bare assignment, `for x in …`, `command -v x`).
 */
export function simpleCommand(command: ShellCommand): SimpleCommand | undefined {
  const words = command.words;
  const first = words[0];
  if (!first) return undefined;
  const assignments: Record<string, string> = {};
  let k = 0;
  for (;;) {
    const word = words[k];
    if (!word) return undefined;
    const text = word.value;
    if (!word.quoted && PREFIX_KEYWORDS.has(text)) {
      k++;
      continue;
    }
    if (!word.quoted && (CLOSING_KEYWORDS.has(text) || SKIPPED_KEYWORDS.has(text))) return undefined;
    const assignment = assignmentOf(word);
    if (assignment) {
      assignments[assignment[0]] = assignment[1];
      k++;
      continue;
    }
    const wrapper = word.quoted ? undefined : WRAPPERS[baseName(text)];
    if (wrapper) {
      const name = baseName(text);
      let j = k + 1;
      let positional = wrapper.positional ?? 0;
      while (j < words.length) {
        const arg = words[j] as ShellWord;
        if (arg.value === "--") {
          j++;
          break;
        }
        if (name === "env") {
          const envAssignment = assignmentOf(arg);
          if (envAssignment) {
            assignments[envAssignment[0]] = envAssignment[1];
            j++;
            continue;
          }
        }
        if (arg.value.startsWith("-") && arg.value.length > 1) {
          // `command -v x` / `command -V x` look a program up instead of running it.
          if (name === "command" && (arg.value === "-v" || arg.value === "-V")) return undefined;
          j += wrapper.flagsWithValue.has(arg.value) ? 2 : 1;
          continue;
        }
        if (positional > 0) {
          positional--;
          j++;
          continue;
        }
        break;
      }
      if (j >= words.length) return undefined;
      k = j;
      continue;
    }
    break;
  }
  const rest = words.slice(k);
  if (rest.length === 0) return undefined;
  return {
    argv: rest.map((w) => w.value),
    dynamic: rest.map((w) => w.dynamic),
    assignments,
    start: first.start,
    end: (words[words.length - 1] as ShellWord).end,
  };
}

/** `NAME=value` when the name part is unquoted and literal. */
function assignmentOf(word: ShellWord): [string, string] | undefined {
  const eq = word.value.indexOf("=");
  if (eq <= 0) return undefined;
  const name = word.value.slice(0, eq);
  if (!isNameStart(name[0])) return undefined;
  for (let j = 1; j < name.length; j++) if (!isNameChar(name[j])) return undefined;
  return [name, word.value.slice(eq + 1)];
}

/** The last path segment (`/usr/bin/sudo` → `sudo`). */
function baseName(text: string): string {
  return text.slice(text.lastIndexOf("/") + 1);
}

/** True for the word value of a program that interprets shell (`sh`, `bash`, …), for `sh -c '…'`. */
export function isShellProgram(program: string): boolean {
  const name = baseName(program);
  return name === "sh" || name === "bash" || name === "dash" || name === "zsh" || name === "ksh" || name === "ash";
}

/**
 * The script of `sh -c 'script'` (options such as `-e`, `-x`, `-l` may come first or be combined: `-ec`), or undefined
 * when the command is not an inline shell script.
 */
export function inlineShellScript(argv: readonly string[]): string | undefined {
  if (!argv[0] || !isShellProgram(argv[0])) return undefined;
  let inline = false;
  for (let j = 1; j < argv.length; j++) {
    const arg = argv[j] as string;
    if (arg === "-o" || arg === "+o") {
      j++;
      continue;
    }
    if ((arg.startsWith("-") || arg.startsWith("+")) && arg.length > 1 && !arg.startsWith("--")) {
      if (arg.includes("c")) inline = true;
      continue;
    }
    if (arg.startsWith("--")) continue;
    return inline ? arg : undefined;
  }
  return undefined;
}
