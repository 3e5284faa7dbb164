/**
 * The small expression languages of the inventory, both built on seriesByTag's matchers (`name=value`, `name!=value`,
 * `name=~regex`, `name!=~regex`):
 *
 * - a series selector ties a server or an application to its series: comma-separated matchers on the series' labels
 *   (`host=web1,env=~prod`), or a Graphite glob on the name (`servers.web1.*`);
 * - a filter picks entities by their fields for lists and template variables (`environment=production`).
 *
 * A comma separates two matchers only where a new `name op` follows it, so regexes may hold commas (`x=~a{1,3}`).
 */
import type { LabelMatcher, MatchOp, SeriesSelector } from '../store/types';

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const MATCHER_START = /^\s*([A-Za-z_][A-Za-z0-9_.:-]*)\s*(!=~|=~|!=|=)/;

/** Parses comma-separated matchers. Regexes must compile; values are trimmed. */
export function parseMatchers(text: string): LabelMatcher[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = text.indexOf(','); i !== -1; i = text.indexOf(',', i + 1)) {
    if (MATCHER_START.test(text.slice(i + 1))) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => {
    const m = MATCHER_START.exec(part);
    if (!m) {
      throw new SelectorError(`"${part.trim()}" is not a matcher (expected name=value, name!=value, name=~regex)`);
    }
    const value = part.slice(m[0].length).trim();
    const op = m[2] as MatchOp;
    if (op === '=~' || op === '!=~') {
      try {
        new RegExp(value);
      } catch (e) {
        throw new SelectorError(`"${value}" is not a regular expression: ${(e as Error).message}`);
      }
    }
    return { label: m[1]!, op, value };
  });
}

/** A matcher as a test on one value, with seriesByTag's semantics: regexes anchor at the start; absent is ''. */
export function matchValue(m: LabelMatcher): (value: string) => boolean {
  switch (m.op) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const re = new RegExp(`^(?:${m.value})`);
      return (v) => re.test(v);
    }
    case '!=~': {
      const re = new RegExp(`^(?:${m.value})`);
      return (v) => !re.test(v);
    }
  }
}

export interface ParsedSelector {
  selector: SeriesSelector;
  /** The Graphite target that draws the same series: the glob, or seriesByTag(...). */
  target: string;
}

/** Parses a series selector; throws SelectorError saying what is wrong. */
export function parseSeriesSelector(text: string): ParsedSelector {
  const s = text.trim();
  if (s === '') {
    throw new SelectorError('is empty');
  }
  if (!MATCHER_START.test(s)) {
    if (/[\s=;]/.test(s)) {
      throw new SelectorError(
        `"${s}" is neither label matchers (host=web1,env=prod) nor a Graphite glob (servers.web1.*)`
      );
    }
    return { selector: { glob: s }, target: s };
  }
  const matchers = parseMatchers(s);
  // graphite-web refuses seriesByTag without one: a query of only negations would scan every series.
  if (!matchers.some((m) => (m.op === '=' && m.value !== '') || m.op === '=~')) {
    throw new SelectorError('needs at least one matcher that selects, name=value or name=~regex');
  }
  const args = matchers.map((m) => quote(`${m.label}${m.op}${m.value}`));
  return { selector: { matchers }, target: `seriesByTag(${args.join(',')})` };
}

/** Graphite keeps a string's text as written, escapes included, so a quote can only be carried by the other kind. */
function quote(s: string): string {
  if (!s.includes("'")) {
    return `'${s}'`;
  }
  if (!s.includes('"')) {
    return `"${s}"`;
  }
  throw new SelectorError(`"${s}" holds both kinds of quote, which a Graphite target cannot carry`);
}
