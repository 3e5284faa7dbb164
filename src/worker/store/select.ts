/**
 * Series selection: Graphite globs on the dotted name and label matchers, compiled once
 * per query into predicates.
 */
import type { LabelMatcher, SeriesRef, SeriesSelector } from './types';

/**
 * Graphite glob to a regular expression over a whole name: `*` and `?` stay within one
 * dot-separated node, `[a-z]` is a character class, `{a,b}` an alternation.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  let inClass = false;
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '*':
        re += '[^.]*';
        break;
      case '?':
        re += '[^.]';
        break;
      case '[':
        inClass = true;
        re += '[';
        if (glob[i + 1] === '!') {
          re += '^';
          i++;
        }
        break;
      case '{':
        braceDepth++;
        re += '(?:';
        break;
      case '}':
        if (braceDepth > 0) {
          braceDepth--;
          re += ')';
        } else re += '\\}';
        break;
      case ',':
        re += braceDepth > 0 ? '|' : ',';
        break;
      default:
        re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  if (inClass) throw new SyntaxError(`unclosed '[' in ${JSON.stringify(glob)}`);
  if (braceDepth > 0) throw new SyntaxError(`unclosed '{' in ${JSON.stringify(glob)}`);
  return new RegExp(re + '$');
}

export function isGlob(s: string): boolean {
  return /[*?[{]/.test(s);
}

/**
 * Label matchers follow Graphite's seriesByTag: regular expressions are anchored at the
 * start only (as graphite-web does), and a missing label has the value ''.
 */
export function matcherPredicate(m: LabelMatcher): (labels: Record<string, string>, name: string) => boolean {
  const get = (labels: Record<string, string>, name: string): string =>
    m.label === 'name' ? name : (labels[m.label] ?? '');
  switch (m.op) {
    case '=':
      return (l, n) => get(l, n) === m.value;
    case '!=':
      return (l, n) => get(l, n) !== m.value;
    case '=~': {
      const re = new RegExp('^(?:' + m.value + ')');
      return (l, n) => re.test(get(l, n));
    }
    case '!=~': {
      const re = new RegExp('^(?:' + m.value + ')');
      return (l, n) => !re.test(get(l, n));
    }
  }
}

export function selectorPredicate(sel: SeriesSelector): (s: SeriesRef) => boolean {
  const preds: Array<(s: SeriesRef) => boolean> = [];
  if (sel.glob !== undefined) {
    if (isGlob(sel.glob)) {
      const re = globToRegExp(sel.glob);
      preds.push((s) => re.test(s.name));
    } else {
      const name = sel.glob;
      preds.push((s) => s.name === name);
    }
  }
  for (const m of sel.matchers ?? []) {
    const p = matcherPredicate(m);
    preds.push((s) => p(s.labels, s.name));
  }
  return (s) => preds.every((p) => p(s));
}
