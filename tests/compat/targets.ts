/**
 * The differential suite's table: every target is rendered by graphite-web 1.1.8 and by the worker over the same
 * fixture (fixtures.ts) and the same absolute time range, and the JSON answers must agree (compare.ts).
 *
 * Every function the query engine promises (issue 3) has at least one target, the common ones several (different
 * arguments, series with gaps, nesting). `exception` marks a documented, deliberate difference: the target is still
 * rendered by both sides and must answer 200 on both, and the test reports whether the answers still differ.
 */

/** Time ranges, relative to the fixture's end (a multiple of 60 s); queried as absolute Unix seconds. */
export const WINDOWS = {
  /** Four hours that include gaps.hole's two missing hours and gaps.tail's last half hour. */
  hours: { from: -6 * 3600, until: -2 * 3600 },
  /** The last day, 8,640 points a series. */
  day: { from: -24 * 3600, until: 0 },
  /** The last hour. */
  recent: { from: -3600, until: 0 },
  /** The whole fixture (two days): timeShift by a day still finds data. */
  all: { from: -48 * 3600, until: 0 },
  /** Eight days: past the 10 s archive's 7 days, so graphite-web reads the 1-minute archive (averages). */
  eightDays: { from: -8 * 86400, until: 0 },
  /** A range whose ends are not on a 10 s step. */
  ragged: { from: -3 * 3600 + 7, until: -3600 - 23 },
} as const;

export type WindowName = keyof typeof WINDOWS;

const pad = (n: number): string => String(n).padStart(2, '0');
/** Graphite's absolute `HH:MM_YYYYMMDD` (UTC, as both sides are configured). */
export function hhmmYmd(t: number): string {
  const d = new Date(t * 1000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}_${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}
/** Graphite's absolute `YYYYMMDD` (midnight UTC of that day). */
export function ymd(t: number): string {
  const d = new Date(t * 1000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

export interface TargetCase {
  /** One target, or several sent together (`target=a&target=b`). */
  target: string | string[];
  /** Default `hours`. */
  window?: WindowName;
  /** Instead of a window: `from` and `until` as strings in one of Graphite's time formats, made from the end. */
  range?: { name: string; from: (end: number) => string; until: (end: number) => string };
  /** Further render parameters (maxDataPoints, noNullPoints). */
  params?: Record<string, string | number>;
  /** The function(s) of issue 3 this case covers, for the coverage check (default: every function named in it). */
  covers?: string[];
  /** A deliberate difference from graphite-web: why. */
  exception?: string;
}

/** The functions issue 3 asks for with graphite-web's semantics. */
export const REQUIRED_FUNCTIONS = [
  'alias',
  'aliasByNode',
  'aliasByTags',
  'aliasSub',
  'sumSeries',
  'averageSeries',
  'maxSeries',
  'minSeries',
  'diffSeries',
  'divideSeries',
  'multiplySeries',
  'countSeries',
  'sumSeriesWithWildcards',
  'averageSeriesWithWildcards',
  'groupByNode',
  'groupByNodes',
  'groupByTags',
  'aggregate',
  'asPercent',
  'percentileOfSeries',
  'nPercentile',
  'scale',
  'offset',
  'absolute',
  'derivative',
  'nonNegativeDerivative',
  'perSecond',
  'integral',
  'summarize',
  'hitcount',
  'timeShift',
  'movingAverage',
  'movingMedian',
  'movingSum',
  'keepLastValue',
  'transformNull',
  'consolidateBy',
  'highestAverage',
  'highestCurrent',
  'highestMax',
  'lowestAverage',
  'limit',
  'exclude',
  'grep',
  'removeAbovePercentile',
  'removeBelowValue',
  'removeAboveValue',
  'sortByName',
  'sortByMaxima',
  'constantLine',
  'threshold',
  'seriesByTag',
  'stacked',
  'cactiStyle',
];

const CPU_USER = 'servers.*.*.cpu.user';
const WEB01 = 'servers.dc1.web01';

export const TARGETS: TargetCase[] = [
  // ---- plain paths and globs ----
  { target: `${WEB01}.cpu.user` },
  { target: `${WEB01}.cpu.user`, window: 'day' },
  { target: `${WEB01}.cpu.user`, window: 'ragged' },
  { target: 'servers.dc{1,2}.*01.cpu.user' },
  { target: 'sumSeries({servers,nothing}.dc1.web0{1,2}.cpu.user)' },
  { target: 'servers.dc1.web0[1-3].load.*' },
  { target: 'servers.dc?.db0[!1-4].memory.used' },
  { target: 'gaps.*.value' },
  { target: 'gaps.*.value', window: 'day' },
  { target: 'gaps.*.value', params: { noNullPoints: 'true' } },
  { target: 'no.such.series' },
  { target: 'servers.dc1.*.cpu.user', window: 'eightDays' },
  { target: 'sumSeries(gaps.{hole,random,sparse}.value)', window: 'eightDays' },
  { target: "summarize(apps.web.*.requests,'1h','max')", window: 'eightDays' },
  { target: 'perSecond(counters.jobs.total)', window: 'eightDays', params: { maxDataPoints: 500 } },
  { target: [`${WEB01}.cpu.user`, 'misc.wave.sine', 'nothing.*'] },

  // ---- Graphite's absolute time formats in from/until ----
  {
    target: `${WEB01}.cpu.user`,
    range: { name: 'HH:MM_YYYYMMDD', from: (e) => hhmmYmd(e - 5 * 3600), until: (e) => hhmmYmd(e - 3 * 3600) },
  },
  {
    target: 'sumSeries(servers.dc1.*.cpu.user)',
    range: { name: 'YYYYMMDD to HH:MM_YYYYMMDD', from: (e) => ymd(e - 86400), until: (e) => hhmmYmd(e - 20 * 3600) },
  },
  {
    target: 'gaps.hole.value',
    range: { name: 'HH:MM_YYYYMMDD+offset', from: (e) => `${hhmmYmd(e - 7 * 3600)}+1h`, until: (e) => `${e - 3600}` },
  },

  // ---- Alias ----
  { target: `alias(${WEB01}.cpu.user,'cpu user')` },
  { target: "alias(sumSeries(servers.dc1.*.cpu.user),'dc1 total')" },
  { target: `aliasByNode(${CPU_USER},1,2)` },
  { target: 'aliasByNode(servers.dc1.*.load.*,-1)' },
  { target: "aliasByNode(movingAverage(servers.dc1.*.cpu.user,'10min'),2)" },
  { target: "aliasByTags(seriesByTag('name=disk.used','dc=dc1'),'host','disk')" },
  { target: "aliasByTags(seriesByTag('name=http.requests','app=web'),'name',2)" },
  { target: "aliasSub(servers.dc1.*.cpu.user,'^servers\\.(\\w+)\\.(\\w+)\\..*','\\2 in \\1')" },
  { target: "aliasSub(apps.*.login.requests,'requests$','rps')" },
  { target: "aliasByNode(seriesByTag('name=disk.used','host=web01'),0,1)" },
  { target: 'aliasByMetric(servers.dc1.web0{1,2}.cpu.*)' },
  { target: "aliasByMetric(movingAverage(servers.dc1.web01.load.*,'10min'))" },
  { target: `substr(${CPU_USER},1,3)` },
  { target: 'substr(sumSeries(servers.dc1.*.cpu.user),-2)' },
  { target: "aliasByTags(servers.dc1.web01.cpu.*,4,'name')" },

  // ---- Combine ----
  { target: 'sumSeries(servers.dc1.*.cpu.user)' },
  { target: 'sumSeries(servers.*.*.cpu.{user,system})', window: 'day' },
  { target: 'sumSeries(gaps.*.value)' },
  { target: `sumSeries(${WEB01}.cpu.user,servers.dc1.web02.cpu.user,misc.constant.one)` },
  { target: 'sumSeries(no.such.series)' },
  { target: 'averageSeries(servers.*.*.cpu.idle)' },
  { target: 'averageSeries(gaps.{alternate,random,hole}.value)' },
  { target: 'maxSeries(apps.*.*.latency.upper_90)' },
  { target: 'minSeries(apps.*.*.latency.mean,gaps.random.value)' },
  { target: `diffSeries(${WEB01}.memory.free,${WEB01}.memory.used)` },
  { target: 'diffSeries(gaps.random.value,gaps.alternate.value,misc.constant.one)' },
  { target: 'divideSeries(apps.*.login.requests,apps.web.health.requests)' },
  { target: 'divideSeries(misc.wave.sine,misc.constant.zero)' },
  { target: 'divideSeries(gaps.random.value,gaps.alternate.value)' },
  { target: `multiplySeries(${WEB01}.cpu.user,misc.wave.sine)` },
  { target: 'multiplySeries(gaps.random.value,misc.step.level)' },
  { target: 'countSeries(servers.dc1.*.cpu.user)' },
  { target: 'countSeries(gaps.*.value)' },
  { target: `sumSeriesWithWildcards(${CPU_USER},1)` },
  { target: 'sumSeriesWithWildcards(servers.*.*.cpu.*,1,2)' },
  { target: `averageSeriesWithWildcards(${CPU_USER},2)` },
  { target: "groupByNode(servers.*.*.cpu.user,1,'sum')" },
  { target: 'groupByNode(servers.dc1.*.cpu.*,4)' },
  { target: "groupByNode(apps.*.*.latency.mean,2,'max')", window: 'day' },
  { target: "groupByNode(gaps.*.value,0,'average')" },
  { target: "groupByNode(servers.*.*.cpu.user,1,'median')" },
  { target: "groupByNode(servers.*.*.cpu.user,1,'stddev')" },
  { target: "groupByNode(gaps.*.value,0,'count')" },
  { target: "groupByNode(servers.*.*.load.shortterm,1,'range')" },
  { target: "groupByNode(servers.*.*.load.shortterm,1,'last')" },
  { target: "groupByNode(servers.*.*.load.shortterm,-2,'min')" },
  { target: "groupByNode(servers.dc1.web0{1,2}.load.longterm,1,'multiply')" },
  { target: "groupByNode(servers.dc1.web0{1,2}.load.longterm,1,'diff')" },
  { target: "groupByNode(servers.*.*.cpu.user,1,'avg_zero')" },
  { target: "groupByNodes(servers.*.*.cpu.*,'sum',1,4)" },
  { target: "groupByNodes(apps.*.*.requests,'max',1)" },
  { target: "groupByNodes(apps.*.*.requests,'average')" },
  { target: "groupByNode(seriesByTag('name=disk.used'),'dc','sum')" },
  { target: "groupByNodes(seriesByTag('name=http.requests'),'sum','app','env')" },
  { target: "groupByNode(servers.*.*.cpu.user,1,'sumSeries')" },
  { target: "groupByTags(seriesByTag('name=http.requests'),'sum','app')" },
  { target: "groupByTags(seriesByTag('name=disk.used'),'max','dc','disk')" },
  // Not every temperature series has a `sensor` tag, which graphite-web 1.1.8 answers with a 500 (KeyError).
  { target: "groupByTags(seriesByTag('name=temperature','sensor!='),'average','sensor')" },
  { target: "aggregate(servers.*.*.cpu.user,'sum')" },
  { target: "aggregate(gaps.*.value,'avg')" },
  { target: "aggregate(servers.*.*.cpu.iowait,'median')" },
  { target: "aggregate(gaps.{random,alternate}.value,'max',0.5)" },
  { target: "aggregate(servers.dc1.*.cpu.user,'total')" },
  { target: `asPercent(${WEB01}.cpu.*)` },
  { target: 'asPercent(servers.dc1.*.cpu.user,400)' },
  { target: 'asPercent(apps.*.login.requests,sumSeries(apps.*.login.requests))' },
  { target: 'asPercent(servers.dc1.*.cpu.user,servers.dc1.*.cpu.idle)' },
  { target: 'asPercent(servers.*.*.cpu.*,None,1,2)' },
  { target: 'asPercent(gaps.random.value,gaps.alternate.value)' },
  { target: `percentileOfSeries(${CPU_USER},50)` },
  { target: `percentileOfSeries(${CPU_USER},90,True)` },
  { target: 'percentileOfSeries(gaps.*.value,75)' },
  { target: 'percentileOfSeries(gaps.*.value,33,True)' },
  { target: 'nPercentile(servers.dc1.*.cpu.user,95)' },
  { target: 'nPercentile(gaps.random.value,50)' },
  { target: 'nPercentile(servers.dc1.web01.cpu.iowait,99.5)', window: 'day' },

  // ---- Transform and Calculate ----
  { target: `scale(${WEB01}.cpu.user,0.5)` },
  { target: 'scale(gaps.random.value,-2)' },
  { target: 'scale(servers.dc1.web01.cpu.user,0.00001)' },
  { target: 'offset(servers.dc1.web01.memory.used,1e6)' },
  { target: 'scale(servers.dc1.web01.cpu.user,3)' },
  { target: 'offset(misc.wave.sine,100)' },
  { target: 'offset(gaps.alternate.value,-1.5)' },
  { target: 'absolute(misc.wave.sine)' },
  { target: 'absolute(misc.wave.negative)' },
  { target: `derivative(${WEB01}.disk.sda.reads)` },
  { target: 'derivative(gaps.alternate.value)' },
  { target: 'derivative(counters.jobs.total)', window: 'day' },
  { target: 'nonNegativeDerivative(counters.*.total)', window: 'day' },
  // With maxValue or minValue, graphite-web 1.1.8 fails on a null (`None > float`): windows without nulls.
  { target: 'nonNegativeDerivative(counters.jobs.total,500000)' },
  { target: 'nonNegativeDerivative(gaps.random.value)' },
  { target: 'nonNegativeDerivative(counters.errors.total,None,0)' },
  { target: 'perSecond(counters.*.total)', window: 'day' },
  { target: 'perSecond(servers.dc1.*.disk.sda.writes)' },
  { target: 'perSecond(gaps.sparse.value)' },
  { target: 'perSecond(gaps.random.value)' },
  { target: 'perSecond(counters.orders.total,1000000)' },
  { target: 'perSecond(counters.bytes_in.total,None,10)' },
  { target: 'integral(misc.constant.one)' },
  { target: 'integral(gaps.random.value)' },
  { target: `summarize(${WEB01}.cpu.user,'1h')`, window: 'day' },
  { target: `summarize(${WEB01}.cpu.user,'1h','avg')`, window: 'day' },
  { target: `summarize(${WEB01}.cpu.user,'15min','max',true)`, window: 'ragged' },
  { target: "summarize(gaps.hole.value,'30min','last')" },
  { target: "summarize(gaps.*.value,'7min','min')" },
  { target: "summarize(counters.jobs.total,'6h','max')", window: 'all' },
  { target: "summarize(apps.web.*.requests,'1d','sum',true)", window: 'day' },
  { target: "summarize(gaps.random.value,'45s','count')" },
  { target: "summarize(servers.dc1.web01.cpu.iowait,'10min','median')" },
  { target: "summarize(gaps.random.value,'1h','avg')", window: 'ragged' },
  { target: "summarize(servers.dc1.web01.cpu.user,'90s','range')" },
  { target: "hitcount(apps.web.login.requests,'1h')", window: 'day' },
  { target: "hitcount(apps.web.login.requests,'5min',true)", window: 'ragged' },
  { target: "hitcount(gaps.alternate.value,'2min')" },
  { target: "hitcount(gaps.hole.value,'1h',true)", window: 'day' },
  { target: `timeShift(${WEB01}.cpu.user,'1d')` },
  { target: `timeShift(${WEB01}.cpu.user,'-90min')`, window: 'recent' },
  { target: "timeShift(gaps.*.value,'1h')" },
  { target: "timeShift(servers.dc1.*.cpu.user,'+30min')", window: 'day' },
  { target: "timeShift(sumSeries(servers.dc1.*.cpu.user),'1d')", window: 'day' },
  { target: `timeShift(${WEB01}.cpu.user,'1h',false)`, window: 'recent' },
  { target: "timeShift(gaps.tail.value,'-20min',true)", window: 'recent' },
  { target: `movingAverage(${WEB01}.cpu.user,10)` },
  { target: `movingAverage(${WEB01}.cpu.user,'5min')` },
  { target: 'movingAverage(gaps.random.value,6)' },
  { target: "movingAverage(gaps.hole.value,'1h')" },
  { target: "movingAverage(servers.dc1.web0{1,2}.load.shortterm,'1d')" },
  { target: "movingAverage(gaps.alternate.value,'1min',0.5)" },
  { target: 'movingAverage(gaps.sparse.value,3)' },
  { target: "movingAverage(gaps.firstday.value,'1d')", window: 'recent' },
  { target: "movingMedian(gaps.alternate.value,'1min',0.6)" },
  { target: "movingSum(gaps.hole.value,'1h')" },
  { target: `movingMedian(${WEB01}.cpu.user,5)` },
  { target: "movingMedian(gaps.random.value,'2min')" },
  { target: "movingSum(counters.jobs.total,'1min')" },
  { target: 'movingSum(gaps.alternate.value,4)' },
  { target: 'keepLastValue(gaps.alternate.value)' },
  { target: 'keepLastValue(gaps.hole.value,100)' },
  { target: 'keepLastValue(gaps.*.value,3)' },
  { target: 'transformNull(gaps.random.value)' },
  { target: 'transformNull(gaps.*.value,-1)' },
  { target: 'transformNull(gaps.tail.value,0,misc.constant.one)', window: 'recent' },
  { target: `consolidateBy(${WEB01}.cpu.user,'max')`, window: 'day', params: { maxDataPoints: 100 } },
  { target: `consolidateBy(${WEB01}.cpu.user,'min')`, window: 'day', params: { maxDataPoints: 333 } },
  { target: `consolidateBy(${WEB01}.cpu.user,'sum')`, params: { maxDataPoints: 50 } },
  { target: `consolidateBy(${WEB01}.cpu.user,'first')`, params: { maxDataPoints: 200 } },
  { target: `consolidateBy(${WEB01}.cpu.user,'last')`, params: { maxDataPoints: 7 } },
  { target: "consolidateBy(gaps.*.value,'average')", params: { maxDataPoints: 120 } },
  { target: "consolidateBy(servers.dc1.*.cpu.user,'max')", params: { maxDataPoints: 1 } },
  { target: 'servers.dc1.*.cpu.user', window: 'day', params: { maxDataPoints: 300 } },
  { target: 'gaps.*.value', window: 'ragged', params: { maxDataPoints: 77 } },
  { target: `${WEB01}.cpu.user`, params: { maxDataPoints: 5000 } },
  {
    target: [`summarize(${WEB01}.cpu.user,'1h','max')`, `${WEB01}.cpu.user`],
    window: 'day',
    params: { maxDataPoints: 100 },
  },
  { target: "sumSeries(consolidateBy(servers.dc1.*.cpu.user,'max'))", window: 'day', params: { maxDataPoints: 60 } },
  { target: 'perSecond(counters.*.total)', window: 'ragged', params: { maxDataPoints: 100, noNullPoints: 'true' } },

  // ---- Filter Series ----
  { target: `highestAverage(${CPU_USER},3)` },
  { target: 'highestAverage(gaps.*.value,2)' },
  { target: `highestCurrent(${CPU_USER},2)` },
  { target: 'highestCurrent(gaps.*.value,3)', window: 'recent' },
  { target: 'highestMax(apps.*.*.latency.upper_90,4)' },
  { target: 'lowestAverage(servers.*.*.cpu.idle,3)' },
  { target: 'lowestAverage(gaps.*.value,2)' },
  { target: `limit(${CPU_USER},5)` },
  { target: 'limit(gaps.*.value,100)' },
  { target: 'limit(gaps.*.value,0)' },
  { target: 'highestMax(gaps.*.value,20)' },
  { target: `exclude(${CPU_USER},'web0[12]')` },
  { target: `grep(${CPU_USER},'db')` },
  { target: "grep(aliasByNode(servers.*.*.cpu.user,2),'^web')" },
  { target: `removeAbovePercentile(${WEB01}.cpu.iowait,90)` },
  { target: 'removeAbovePercentile(gaps.random.value,50)' },
  { target: `removeBelowValue(${WEB01}.cpu.user,20)` },
  { target: 'removeBelowValue(gaps.alternate.value,50)' },
  { target: 'removeAboveValue(misc.wave.sine,5)' },
  { target: 'removeAboveValue(gaps.random.value,25)' },
  { target: 'sortByName(servers.*.*.load.shortterm)' },
  { target: 'sortByName(aliasByNode(servers.*.*.cpu.user,2),true,true)' },
  { target: "sortByName(aliasSub(servers.dc1.*.cpu.user,'web0','host'))" },
  { target: 'sortByMaxima(servers.*.*.cpu.iowait)' },
  { target: 'sortByMaxima(gaps.*.value)' },
  { target: 'sortByName(misc.natural.*,true)' },
  { target: 'sortByName(misc.natural.*)' },
  { target: 'sortByName(misc.natural.*,true,true)' },

  // ---- Special and Graph ----
  { target: 'constantLine(42)' },
  { target: 'constantLine(3.5)', window: 'day' },
  { target: "threshold(90,'high','red')" },
  { target: 'threshold(10)' },
  { target: "threshold(-2.5,color='blue')" },
  { target: "seriesByTag('name=disk.used','dc=dc1')" },
  { target: "seriesByTag('name=http.requests','status!=2xx')" },
  { target: "seriesByTag('name=~disk.*','host=~web0[1-3]')" },
  { target: "seriesByTag('name=http.requests','app!=~a.*')" },
  { target: "seriesByTag('room=lab')" },
  { target: "seriesByTag('name=temperature','sensor=')" },
  { target: "seriesByTag('name=temperature','sensor!=')" },
  { target: "seriesByTag('name=temperature','room=~^(lab|hall)$','sensor!=b')" },
  { target: "seriesByTag('name=no.such.tagged.series')" },
  // Untagged series are in the tag database too (carbon's default ENABLE_TAGS registers every series).
  { target: "seriesByTag('name=servers.dc1.web01.cpu.user')" },
  { target: "seriesByTag('name=~^misc\\.wave\\.')" },
  { target: "sumSeries(seriesByTag('name=http.requests','env=prod'))" },
  { target: "seriesByTag('name=disk.used','host=web01')", window: 'day', params: { maxDataPoints: 240 } },
  { target: 'stacked(servers.dc1.*.cpu.user)' },
  { target: "stacked(gaps.{random,alternate}.value,'gaps')" },
  { target: `cactiStyle(${WEB01}.cpu.*)` },
  { target: "cactiStyle(apps.web.*.requests,'si','req')" },
  { target: "cactiStyle(gaps.*.value,'binary')" },
  { target: 'cactiStyle(misc.wave.sine)' },
  { target: "cactiStyle(servers.dc1.web01.memory.*,'binary','B')" },

  // ---- composition ----
  { target: "highestAverage(groupByNode(servers.*.*.cpu.user,1,'sum'),1)" },
  { target: 'sumSeries(perSecond(counters.*.total))', window: 'day' },
  { target: "asPercent(groupByNode(servers.*.*.cpu.user,1,'sum'),sumSeries(servers.*.*.cpu.user))" },
  { target: "aliasByNode(summarize(nonNegativeDerivative(counters.*.total),'1h','sum'),1)", window: 'day' },
  { target: "movingAverage(divideSeries(apps.web.login.latency.mean,apps.web.health.latency.mean),'15min')" },
  { target: "timeShift(movingAverage(servers.dc1.web01.cpu.user,'30min'),'1d')", window: 'day' },
];

/**
 * /functions: for every function of issue 3, the worker's `name`, `group` and `params` (names, types, required,
 * defaults, options, multiple, suggestions) must equal graphite-web's. Descriptions are not compared. Exceptions:
 * the options of one parameter differ by design, the rest must still be equal.
 */
export const FUNCTION_INFO_EXCEPTIONS: Record<string, { param: string; reason: string }> = {
  summarize: {
    param: 'func',
    reason:
      "the worker also offers p50, p75, p90, p95, p99 and p99.9: percentiles read from its rollups' sketches " +
      '(issue 3, "beyond Graphite"); graphite-web has no such option',
  },
  ...Object.fromEntries(
    ['groupByNode', 'groupByNodes', 'groupByTags'].map((f) => [
      f,
      {
        param: 'callback',
        reason:
          'graphite-web offers every series function that aggregates, also averageSeriesWithWildcards, ' +
          'sumSeriesWithWildcards, multiplySeriesWithWildcards, powSeries and the *SeriesLists (with no positions the ' +
          "*WithWildcards ones return the group's first series unchanged, the *Lists fail with a 500); the worker " +
          'offers, and accepts, the aggregation names and the aggregating series functions it implements: the others ' +
          'answer 400',
      },
    ])
  ),
};

/** Functions of issue 3 named in the table (REQUIRED_FUNCTIONS not covered is a suite failure). */
export function coveredFunctions(cases: TargetCase[]): Set<string> {
  const seen = new Set<string>();
  for (const c of cases) {
    const text = Array.isArray(c.target) ? c.target.join(' ') : c.target;
    for (const name of c.covers ?? [...text.matchAll(/([A-Za-z][A-Za-z0-9]*)\(/g)].map((m) => m[1]!)) seen.add(name);
  }
  return seen;
}

/** /render format=csv: the text must be equal byte for byte (graphite-web writes Python's repr of each value). */
export const CSV_TARGETS: TargetCase[] = [
  { target: 'servers.dc1.web01.cpu.user', window: 'recent' },
  { target: 'gaps.*.value', window: 'recent' },
  { target: 'scale(servers.dc1.web01.cpu.user,0.00001)', window: 'recent' },
  { target: 'scale(servers.dc1.web01.memory.used,1e12)', window: 'recent' },
  { target: 'divideSeries(misc.constant.one,misc.natural.n21)', window: 'recent' },
  { target: "seriesByTag('name=temperature','room=lab')", window: 'recent' },
  { target: 'alias(misc.wave.sine,\'sine, "quoted"\')', window: 'recent' },
  { target: "summarize(gaps.random.value,'10min','avg')", window: 'ragged' },
  { target: 'servers.dc1.web01.cpu.user', window: 'day', params: { maxDataPoints: 50 } },
];

/**
 * How an answer of the metric and tag APIs is normalized on both sides before the comparison:
 * - `taggedRoot`: graphite-web lists the directory of its hashed tagged-series files (`_tagged`) as a branch of the
 *   tree's root: an artefact of its whisper layout, not a metric, which the worker rightly does not have. Removed
 *   from graphite-web's answer.
 * - `ids`: graphite-web's /tags answers carry its tag database's row ids (`"id": 97`), meaningless elsewhere.
 *   Removed from both.
 */
export type ApiNormalization = 'taggedRoot' | 'ids';

export interface ApiCase {
  /** graphite-web's path and query string; the worker's is the same under /graphite. */
  path: string;
  normalize?: ApiNormalization[];
}

const find = (query: string, extra = ''): ApiCase => ({
  path: `/metrics/find?query=${encodeURIComponent(query)}${extra}`,
  normalize: ['taggedRoot'],
});

/** /metrics/find (treejson, graphite-web's default, and completer), /metrics/expand and the tag API. */
export const API_QUERIES: ApiCase[] = [
  find('*'),
  find('servers.*'),
  find('servers.dc1.*'),
  find('servers.dc1.web01.*'),
  find('servers.dc1.web01.cpu.*'),
  find('servers.dc{1,2}.*01'),
  find('servers.dc1.web0[1-3].disk.*'),
  find('apps.*.login.*'),
  find('gaps.*.value'),
  find('no.such.*'),
  find('*', '&format=completer'),
  find('servers.dc1.*', '&format=completer'),
  find('apps.web.login.', '&format=completer'),
  { path: '/metrics/expand?query=servers.dc1.web0%5B12%5D.cpu.*' },
  { path: '/metrics/expand?query=apps.*&query=misc.*.*&leavesOnly=1' },
  { path: '/tags', normalize: ['ids'] },
  { path: '/tags?filter=%5Eh', normalize: ['ids'] },
  { path: '/tags/host', normalize: ['ids'] },
  { path: '/tags/status?filter=x%24', normalize: ['ids'] },
  { path: '/tags/autoComplete/tags' },
  { path: '/tags/autoComplete/tags?tagPrefix=h' },
  { path: '/tags/autoComplete/tags?expr=name%3Ddisk.used' },
  { path: '/tags/autoComplete/tags?expr=name%3Dhttp.requests&expr=status%3D5xx&tagPrefix=e' },
  { path: '/tags/autoComplete/values?tag=host' },
  { path: '/tags/autoComplete/values?tag=host&valuePrefix=db' },
  { path: '/tags/autoComplete/values?tag=status&expr=name%3Dhttp.requests&expr=app%3Dweb' },
  { path: '/tags/autoComplete/values?tag=name' },
  { path: '/tags/autoComplete/values?tag=room&limit=2' },
];

/** Applies a case's normalizations to a parsed answer; `side` says whose. */
export function normalizeApiAnswer(c: ApiCase, side: 'graphite-web' | 'worker', body: unknown): unknown {
  let v = body;
  for (const n of c.normalize ?? []) {
    if (n === 'taggedRoot' && side === 'graphite-web') {
      if (Array.isArray(v)) v = v.filter((e) => !String((e as { id?: string }).id ?? '').startsWith('_tagged'));
      const m = (v as { metrics?: Array<{ path?: string }> } | null)?.metrics;
      if (Array.isArray(m)) v = { ...(v as object), metrics: m.filter((e) => !String(e.path).startsWith('_tagged')) };
    }
    if (n === 'ids') {
      const strip = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.map(strip);
        if (x !== null && typeof x === 'object') {
          return Object.fromEntries(
            Object.entries(x)
              .filter(([k]) => k !== 'id')
              .map(([k, y]) => [k, strip(y)])
          );
        }
        return x;
      };
      v = strip(v);
    }
  }
  return v;
}
