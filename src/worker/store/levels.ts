/**
 * Levels and partitions. Level 0 holds raw samples; a level with resolution r > 0 holds
 * rollup rows of r milliseconds. Each level's data is cut into time partitions of 720 of its
 * steps (raw: two hours), so retention deletes whole files and compaction works on one
 * bounded piece at a time.
 */

export const RAW = 0;
const RAW_PARTITION_MS = 2 * 3600_000;
const STEPS_PER_PARTITION = 720;

export interface LevelSpec {
  resolutionMs: number;
  retentionMs: number;
}

export function partitionSpan(level: number): number {
  return level === RAW ? RAW_PARTITION_MS : level * STEPS_PER_PARTITION;
}

/**
 * The stored levels a schema implies: raw samples kept for the first retention, then one
 * rollup level per further resolution.
 */
export function storedLevels(schema: LevelSpec[]): Array<{ level: number; resolutionMs: number; retentionMs: number }> {
  return schema.map((l, i) => ({
    level: i === 0 ? RAW : l.resolutionMs,
    resolutionMs: l.resolutionMs,
    retentionMs: l.retentionMs,
  }));
}

/**
 * The level to read for [from, until) at `step`: the coarsest one whose resolution still
 * fills every requested step and whose retention reaches back to `from`; failing that the
 * finest level that reaches back to `from` (the caller consolidates); and when no level
 * reaches that far, the one reaching furthest back, as Graphite falls back to its coarsest archive.
 */
export function chooseLevel(
  schema: LevelSpec[],
  from: number,
  step: number,
  now: number
): { level: number; resolutionMs: number; retentionMs: number } {
  const levels = storedLevels(schema);
  let best: (typeof levels)[number] | undefined;
  for (const l of levels) {
    const fits = l.resolutionMs <= Math.max(step, levels[0]!.resolutionMs);
    const reaches = now - l.retentionMs <= from;
    if (fits && reaches) best = l;
  }
  if (best) return best;
  const reaching = levels.find((l) => now - l.retentionMs <= from);
  if (reaching) return reaching;
  let furthest = levels[0]!;
  for (const l of levels) if (l.retentionMs > furthest.retentionMs) furthest = l;
  return furthest;
}
