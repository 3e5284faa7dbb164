/**
 * Graphite targets to expressions, following graphite-web 1.1's grammar (render/grammar.py):
 *
 *   target     := expression
 *   expression := (call | path) ('|' call)*          a|f(x) means f(a, x)
 *   call       := name '(' [arg (',' arg)*] [',' kwarg (',' kwarg)*] ')'
 *   kwarg      := name '=' arg
 *   arg        := boolean | number | none | string | inf | expression
 *
 * Paths are runs of any printable character but `(){},.'"\|` and whitespace, joined by dots, with
 * `{a,b}` alternatives and backslash escapes of those symbols (and `=`); so globs (`*`, `?`,
 * `[0-9]`), tagged paths (`name;k=v`) and characters such as `-`, `:`, `~`, `=` are path text.
 * A number is a number only when a `,`, `)` or the end follows it (`1m` is a path); `true`,
 * `false`, `none` and `inf` are keywords in any case. Strings keep their text as written between
 * the quotes, escapes included, as graphite-web passes them to functions.
 *
 * Unlike graphite-web, which ignores whatever follows the first complete expression, anything
 * left over is an error, and every error names the 0-based position and what was expected there.
 */
import { type Expr, QuerySyntaxError } from './types';

type CallExpr = Extract<Expr, { kind: 'call' }>;

const SYMBOLS = '(){},.\'"\\|';
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE]-?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const KEYWORDS: Record<string, Expr['kind']> = { true: 'boolean', false: 'boolean', none: 'none', inf: 'number' };

export function parseTarget(target: string): Expr {
  return new Parser(target).parseTarget();
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseTarget(): Expr {
    this.skipSpace();
    const expr = this.parseExpression();
    this.skipSpace();
    if (this.pos < this.src.length) {
      this.fail("'|' or the end of the target");
    }
    return expr;
  }

  private parseExpression(): Expr {
    let expr: Expr;
    const name = this.peekCallName();
    if (name !== undefined) {
      expr = this.parseCall();
    } else if (this.startsPath(this.pos)) {
      expr = this.parsePath();
    } else {
      this.fail('a metric path or function call');
    }
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (this.src[this.pos] !== '|') {
        this.pos = save;
        return expr;
      }
      this.pos++;
      this.skipSpace();
      if (this.peekCallName() === undefined) {
        this.fail("a function call after '|'");
      }
      const piped = this.parseCall();
      expr = { ...piped, args: [expr, ...piped.args] };
    }
  }

  /** The name of a call starting here (an identifier followed by `(`), without consuming it. */
  private peekCallName(): string | undefined {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (!m) return undefined;
    let i = this.pos + m[0].length;
    while (isSpace(this.src.charCodeAt(i))) i++;
    return this.src[i] === '(' ? m[0] : undefined;
  }

  private parseCall(): CallExpr {
    const start = this.pos;
    IDENT.lastIndex = start;
    const name = IDENT.exec(this.src)![0];
    this.pos += name.length;
    this.skipSpace();
    this.pos++; // the '(' peekCallName saw
    const args: Expr[] = [];
    const kwargs: Record<string, Expr> = {};
    let keywordSeen = false;
    this.skipSpace();
    if (this.src[this.pos] === ')') {
      this.pos++;
    } else {
      for (;;) {
        this.skipSpace();
        const argStart = this.pos;
        const kw = this.peekKeywordName();
        if (kw !== undefined) {
          if (Object.prototype.hasOwnProperty.call(kwargs, kw)) {
            throw new QuerySyntaxError(`keyword argument '${kw}' repeated at position ${argStart}`, argStart);
          }
          this.pos = this.src.indexOf('=', this.pos) + 1;
          this.skipSpace();
          kwargs[kw] = this.parseArg();
          keywordSeen = true;
        } else {
          if (keywordSeen) {
            this.fail('a keyword argument (name=value): positional arguments come first');
          }
          args.push(this.parseArg());
        }
        this.skipSpace();
        const c = this.src[this.pos];
        if (c === ',') {
          this.pos++;
          continue;
        }
        if (c === ')') {
          this.pos++;
          break;
        }
        this.fail("',' or ')'");
      }
    }
    return { kind: 'call', name, args, kwargs, start, end: this.pos, raw: this.src.slice(start, this.pos) };
  }

  /** The name of a keyword argument starting here (`name =`), without consuming it. */
  private peekKeywordName(): string | undefined {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (!m) return undefined;
    let i = this.pos + m[0].length;
    while (isSpace(this.src.charCodeAt(i))) i++;
    return this.src[i] === '=' ? m[0] : undefined;
  }

  private parseArg(): Expr {
    const start = this.pos;
    const c = this.src[start];
    if (c === '"' || c === "'") {
      return this.parseString();
    }
    NUMBER.lastIndex = start;
    const num = NUMBER.exec(this.src);
    if (num && this.endsArgument(start + num[0].length)) {
      this.pos = start + num[0].length;
      return { kind: 'number', value: Number(num[0]), start, end: this.pos };
    }
    IDENT.lastIndex = start;
    const word = IDENT.exec(this.src)?.[0];
    const kind = word !== undefined ? KEYWORDS[word.toLowerCase()] : undefined;
    if (word !== undefined && kind !== undefined && this.endsArgument(start + word.length)) {
      this.pos = start + word.length;
      const end = this.pos;
      const w = word.toLowerCase();
      if (kind === 'boolean') return { kind, value: w === 'true', start, end };
      if (kind === 'number') return { kind, value: Infinity, start, end };
      return { kind: 'none', start, end };
    }
    if (this.pos >= this.src.length || (this.peekCallName() === undefined && !this.startsPath(this.pos))) {
      this.fail('an argument');
    }
    return this.parseExpression();
  }

  /** Whether an argument may end at `i`: only a `,`, `)` or the end may follow (spaces aside). */
  private endsArgument(i: number): boolean {
    while (isSpace(this.src.charCodeAt(i))) i++;
    return i >= this.src.length || this.src[i] === ',' || this.src[i] === ')';
  }

  private parseString(): Expr {
    const start = this.pos;
    const quote = this.src[start]!;
    let i = start + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined || c === '\n' || c === '\r') {
        throw new QuerySyntaxError(`unterminated string starting at position ${start}`, start);
      }
      if (c === '\\') {
        i += 2;
      } else if (c === quote && this.src[i + 1] === quote) {
        i += 2; // a doubled quote stands for itself
      } else if (c === quote) {
        break;
      } else {
        i++;
      }
    }
    this.pos = i + 1;
    return { kind: 'string', value: this.src.slice(start + 1, i), start, end: this.pos };
  }

  private parsePath(): Expr {
    const start = this.pos;
    let path = '';
    for (;;) {
      const nodeStart = this.pos;
      path += this.parsePathNode();
      if (this.pos === nodeStart) {
        this.fail(path === '' ? 'a metric path' : "a path node after '.'");
      }
      if (this.src[this.pos] !== '.') break;
      path += '.';
      this.pos++;
    }
    return { kind: 'path', path, start, end: this.pos };
  }

  /** One dot-separated node: path characters, escapes and `{a,b}` alternatives, possibly mixed. */
  private parsePathNode(): string {
    let text = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === '\\' && this.pos + 1 < this.src.length && (SYMBOLS + '=').includes(this.src[this.pos + 1]!)) {
        text += this.src[this.pos + 1];
        this.pos += 2;
      } else if (c === '{') {
        text += this.parseAlternatives();
      } else if (this.isPathChar(this.pos)) {
        text += c;
        this.pos++;
      } else {
        return text;
      }
    }
  }

  private parseAlternatives(): string {
    this.pos++;
    let text = '{';
    for (;;) {
      const before = this.pos;
      let part = '';
      for (;;) {
        const c = this.src[this.pos];
        if (c === '\\' && this.pos + 1 < this.src.length && (SYMBOLS + '=').includes(this.src[this.pos + 1]!)) {
          part += this.src[this.pos + 1];
          this.pos += 2;
        } else if (this.isPathChar(this.pos)) {
          part += c;
          this.pos++;
        } else {
          break;
        }
      }
      if (this.pos === before) {
        this.fail("an alternative inside '{...}'");
      }
      text += part;
      const c = this.src[this.pos];
      if (c === ',') {
        text += ',';
        this.pos++;
      } else if (c === '}') {
        this.pos++;
        return text + '}';
      } else {
        this.fail("',' or '}'");
      }
    }
  }

  /** A path starts with a path character or with `{a,b}` alternatives (`{web,db}*.cpu`). */
  private startsPath(i: number): boolean {
    return this.src[i] === '{' || this.isPathChar(i);
  }

  private isPathChar(i: number): boolean {
    const code = this.src.charCodeAt(i);
    if (Number.isNaN(code) || isSpace(code) || code < 0x21 || code === 0x7f) return false;
    return !SYMBOLS.includes(this.src[i]!);
  }

  private skipSpace(): void {
    while (isSpace(this.src.charCodeAt(this.pos))) this.pos++;
  }

  private fail(expected: string): never {
    const found = this.pos < this.src.length ? `'${this.src[this.pos]}'` : 'the end of the target';
    throw new QuerySyntaxError(`expected ${expected} at position ${this.pos}, found ${found}`, this.pos);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * An expression as target text, for expressions built rather than parsed: calls print their
 * arguments comma-separated with strings in single quotes (graphite-web's own style).
 */
export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'path':
      return expr.path;
    case 'string':
      return `'${expr.value}'`;
    case 'number':
      return expr.value === Infinity ? 'inf' : String(expr.value);
    case 'boolean':
      return expr.value ? 'true' : 'false';
    case 'none':
      return 'None';
    case 'call': {
      const parts = expr.args.map(formatExpr);
      for (const [k, v] of Object.entries(expr.kwargs)) parts.push(`${k}=${formatExpr(v)}`);
      return `${expr.name}(${parts.join(',')})`;
    }
  }
}
