/**
 * The inventory file as YAML text: reading keeps every node's position so that each fault is reported at its line and
 * column, and writing produces the canonical text (see file.ts), so that export(import(file)) is the file itself.
 */
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, stringify, type Document, type Node } from 'yaml';

import { InventoryError, type FieldError } from './errors';
import { toFileValue, validateContents } from './file';
import type { Actor } from './model';
import type { InventoryContents, InventoryService } from './service';
import { formatPath, type Issue, type Path } from './validation';

/** Parses and validates an inventory file; throws a 400 InventoryError listing every fault with its position. */
export function readInventoryYaml(text: string): InventoryContents {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw located(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { field: '', error: e.message.split('\n')[0]!, line, column: col };
      })
    );
  }
  const { contents, issues } = validateContents(doc.toJS());
  if (issues.length > 0) {
    const faults = issues.map((i) => ({ field: formatPath(i.path), error: i.message, ...at(doc, lines, i) }));
    // In reading order, as an editor walks them.
    const rank = (f: FieldError) => (f.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (f.column ?? 0);
    throw located(faults.sort((a, b) => rank(a) - rank(b)));
  }
  return contents;
}

/** Validates the JSON form of the file (a parsed object); faults name their paths only. */
export function readInventoryValue(value: unknown): InventoryContents {
  const { contents, issues } = validateContents(value);
  if (issues.length > 0) {
    throw located(issues.map((i) => ({ field: formatPath(i.path), error: i.message })));
  }
  return contents;
}

export function writeInventoryYaml(contents: InventoryContents): string {
  // lineWidth 0: long values stay on one line, so a diff of two exports shows the field that changed.
  return stringify(toFileValue(contents), { lineWidth: 0, minContentWidth: 0 });
}

export function exportInventory(service: InventoryService): string {
  return writeInventoryYaml(service.contents());
}

export function importInventory(service: InventoryService, text: string, actor: Actor, dryRun = false) {
  return service.replaceAll(readInventoryYaml(text), actor, dryRun);
}

/** Every fault of an import, one per line, `file:line:column: field: error` as the configuration loader writes them. */
export function describeFaults(file: string, e: InventoryError): string {
  const faults = e.details.errors ?? [{ field: e.field ?? '', error: e.message }];
  return faults
    .map(
      (f) =>
        `${file}${f.line !== undefined ? `:${f.line}:${f.column}` : ''}: ${f.field ? `${f.field}: ` : ''}${f.error}`
    )
    .join('\n');
}

function located(errors: FieldError[]): InventoryError {
  const first = errors[0]!;
  const where = first.line !== undefined ? `line ${first.line}, column ${first.column}: ` : '';
  return new InventoryError(`${where}${first.field ? `${first.field}: ` : ''}${first.error}`, 400, {
    field: first.field || undefined,
    errors,
  });
}

function at(doc: Document.Parsed, lines: LineCounter, issue: Issue): { line?: number; column?: number } {
  const node = nodeAt(doc, issue.path, issue.atKey === true);
  if (!node?.range) return {};
  const { line, col } = lines.linePos(node.range[0]);
  return { line, column: col };
}

/**
 * The node at a path: a value, or the key itself when the fault is the key (an unknown field). When the path goes
 * deeper than the file (a missing field), the deepest node there is: the mapping that lacks it.
 */
function nodeAt(doc: Document.Parsed, path: Path, atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return found;
      const last = i === path.length - 1;
      if ((last && atKey) || !isNode(pair.value) || (isScalar(pair.value) && pair.value.value === null)) {
        return isNode(pair.key) ? pair.key : found;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && isNode(node.items[seg])) {
      node = node.items[seg];
    } else {
      return found;
    }
    found = node as Node;
  }
  return found;
}
