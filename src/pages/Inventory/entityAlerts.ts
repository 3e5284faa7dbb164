import { globToRegex } from '../../datasource/target/adhoc';
import type { AlertInstance, ApplicationDetail, ServerDetail } from '../../shared/api';

/**
 * Which alert instances concern an inventory entity. An instance carries the labels of its series (`name` being the
 * series' name), so the instances whose labels the entity's `series` selector picks are on its own series. Rules may
 * also name the entity outright: `host` set to a server's hostname or its short name, `application` to an
 * application's name.
 */
export function concernsEntity(entity: ServerDetail | ApplicationDetail, labels: Record<string, string>): boolean {
  if ('hostname' in entity) {
    const host = labels.host?.toLowerCase();
    if (host !== undefined && (host === entity.hostname || host === entity.hostname.split('.')[0])) {
      return true;
    }
  } else if (labels.application === entity.name) {
    return true;
  }
  return entity.series !== undefined && selectorMatches(entity.series, labels);
}

export function entityInstances(
  entity: ServerDetail | ApplicationDetail,
  instances: readonly AlertInstance[]
): AlertInstance[] {
  return instances.filter((i) => concernsEntity(entity, i.labels));
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_.:-]*)\s*(!=~|=~|!=|=)(.*)$/s;
// A comma starts a new matcher only where a label name and operator follow, so regexes may hold commas.
const SEPARATOR = /,(?=\s*[A-Za-z_][A-Za-z0-9_.:-]*\s*(?:!=~|=~|!=|=))/;

/**
 * The worker's series selector (src/worker/inventory/selector.ts) applied to one label set: comma-separated matchers
 * with seriesByTag's semantics (regexes anchored at the start only, an absent label is ''), or a Graphite glob on the
 * name. A selector the browser cannot read matches nothing rather than everything.
 */
export function selectorMatches(selector: string, labels: Record<string, string>): boolean {
  const text = selector.trim();
  try {
    if (!MATCHER.test(text)) {
      return labels.name !== undefined && new RegExp(globToRegex(text)).test(labels.name);
    }
    return text.split(SEPARATOR).every((part) => {
      const m = MATCHER.exec(part);
      if (!m) {
        return false;
      }
      const value = m[3].trim();
      const actual = labels[m[1]] ?? '';
      switch (m[2]) {
        case '=':
          return actual === value;
        case '!=':
          return actual !== value;
        case '=~':
          return new RegExp(`^(?:${value})`).test(actual);
        default:
          return !new RegExp(`^(?:${value})`).test(actual);
      }
    });
  } catch {
    return false;
  }
}
