import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, LoadingPlaceholder, Stack, Text, TextLink, useStyles2, type BadgeColor } from '@grafana/ui';

import { MissionControlClient } from '../../api/client';
import { chooseDatasource, listMissionControlDatasources, type MissionControlSettings } from '../../api/datasources';
import type { AppSettings } from '../../components/AppConfig/AppConfig';
import { NoDatasource } from '../../components/NoDatasource/NoDatasource';
import { APP_CONFIG_URL } from '../../constants';
import type { ReadyStatus, SourceFreshness, StatsResponse } from '../../shared/api';
import { PROTOCOL_NAMES } from '../../api/protocols';
import { formatAge, formatBytes, formatCount, formatDuration, formatRate, freshness, type Freshness } from './format';
import { useStats } from './useStats';

/** Often enough to watch a deploy's effect on ingest, rarely enough not to matter to the worker. */
export const POLL_INTERVAL_MS = 5000;

const STORE_STATUS: Record<ReadyStatus, { text: string; color: BadgeColor }> = {
  ready: { text: 'Ready', color: 'green' },
  starting: { text: 'Starting', color: 'blue' },
  degraded: { text: 'Degraded', color: 'red' },
};

const FRESHNESS_COLOR: Record<Freshness, BadgeColor> = { fresh: 'green', late: 'orange', stale: 'red' };

interface Props {
  settings?: AppSettings;
}

/** The app's landing page: is the worker healthy, is data arriving, and from whom. */
export function Overview({ settings }: Props) {
  const datasourceUid = settings?.datasourceUid;
  const choice = useMemo(() => chooseDatasource(listMissionControlDatasources(), datasourceUid), [datasourceUid]);
  return (
    <PluginPage>{choice.datasource ? <WorkerOverview datasource={choice.datasource} /> : <NoDatasource />}</PluginPage>
  );
}

function WorkerOverview({ datasource }: { datasource: MissionControlSettings }) {
  const client = useMemo(() => new MissionControlClient(datasource.uid), [datasource.uid]);
  const { stats, error, loading } = useStats(client, POLL_INTERVAL_MS);

  if (!stats) {
    if (loading) {
      return <LoadingPlaceholder text="Asking the worker for its figures…" />;
    }
    return (
      <Alert severity="error" title={`The worker behind "${datasource.name}" did not answer`}>
        {error}. <TextLink href={APP_CONFIG_URL}>Test the connection</TextLink> to find out why.
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={3}>
      {error && (
        <Alert severity="warning" title="The figures are not up to date">
          These are from {dateTimeFormat(stats.time * 1000)}; the last update failed: {error}.
        </Alert>
      )}
      <Summary stats={stats} datasourceName={datasource.name} />
      <Ingest stats={stats} />
      <Rejected stats={stats} />
      <Sources stats={stats} />
    </Stack>
  );
}

function Summary({ stats, datasourceName }: { stats: StatsResponse; datasourceName: string }) {
  const styles = useStyles2(getStyles);
  const status = STORE_STATUS[stats.store.status];
  const samplesPerSecond = stats.ingest.reduce((sum, p) => sum + p.samplesPerSecond, 0);
  const rejected = stats.ingest.reduce((sum, p) => sum + p.linesRejected, 0);
  const failing = Object.entries(stats.store.checks).filter(([, check]) => !check.ok);
  return (
    <section aria-label="Worker">
      <Stack direction="row" alignItems="center" gap={1} wrap="wrap">
        <Text element="h2" variant="h3">
          Worker
        </Text>
        <Badge text={status.text} color={status.color} />
        <Text color="secondary">
          up {formatDuration(stats.uptime)}, read through &quot;{datasourceName}&quot;, updated every{' '}
          {POLL_INTERVAL_MS / 1000} s
        </Text>
      </Stack>
      {failing.map(([name, check]) => (
        <Text key={name} element="p" color="error">
          {name}: {check.message ?? 'failing'}
        </Text>
      ))}
      <div className={styles.figures}>
        <Figure label="Samples per second" value={formatRate(samplesPerSecond).replace('/s', '')} />
        <Figure label="Series" value={formatCount(stats.store.series)} />
        <Figure label="Sources" value={formatCount(stats.sources.total)} />
        <Figure label="Lines rejected" value={formatCount(rejected)} warn={rejected > 0} />
        <Figure label="In memory" value={`${formatCount(stats.store.headSeries)} series`} />
        <Figure label="Write-ahead log" value={formatBytes(stats.store.walBytes)} />
      </div>
    </section>
  );
}

function Figure({ label, value, warn = false }: { label: string; value: string; warn?: boolean }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.figure} role="group" aria-label={label}>
      <div className={cx(styles.figureValue, warn && styles.warn)}>{value}</div>
      <div className={styles.figureLabel}>{label}</div>
    </div>
  );
}

function Ingest({ stats }: { stats: StatsResponse }) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-label="Ingest by protocol">
      <Text element="h3" variant="h4">
        Ingest by protocol
      </Text>
      <Text element="p" color="secondary">
        Rates over the last {formatDuration(stats.rateWindow)}; totals since the worker started.
      </Text>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Protocol</th>
            <th data-numeric>Lines/s</th>
            <th data-numeric>Samples/s</th>
            <th data-numeric>Lines received</th>
            <th data-numeric>Rejected</th>
            <th data-numeric>Shed</th>
          </tr>
        </thead>
        <tbody>
          {stats.ingest.map((p) => (
            <tr key={p.protocol} className={p.linesReceived === 0 ? styles.idle : undefined}>
              <th scope="row">{PROTOCOL_NAMES[p.protocol] ?? p.protocol}</th>
              <td data-numeric>{formatRate(p.linesPerSecond)}</td>
              <td data-numeric>{formatRate(p.samplesPerSecond)}</td>
              <td data-numeric>{formatCount(p.linesReceived)}</td>
              <td data-numeric className={cx(p.linesRejected > 0 && styles.warn)}>
                {formatCount(p.linesRejected)}
              </td>
              <td data-numeric className={cx(p.shed > 0 && styles.warn)}>
                {formatCount(p.shed)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Rejected({ stats }: { stats: StatsResponse }) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-label="Rejected lines">
      <Text element="h3" variant="h4">
        Rejected lines
      </Text>
      {stats.rejected.length === 0 ? (
        <Text element="p" color="secondary">
          No line has been rejected since the worker started.
        </Text>
      ) : (
        <>
          <Text element="p" color="secondary">
            Malformed lines are skipped and counted; the sender keeps sending. The worker&apos;s log names the first of
            each kind.
          </Text>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Protocol</th>
                <th>Reason</th>
                <th data-numeric>Lines</th>
              </tr>
            </thead>
            <tbody>
              {stats.rejected.map((r) => (
                <tr key={`${r.protocol}/${r.reason}`}>
                  <td>{PROTOCOL_NAMES[r.protocol] ?? r.protocol}</td>
                  <td>{r.reason.replace(/_/g, ' ')}</td>
                  <td data-numeric>{formatCount(r.lines)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Sources({ stats }: { stats: StatsResponse }) {
  const styles = useStyles2(getStyles);
  const { total, freshest, stalest } = stats.sources;
  if (total === 0) {
    return (
      <section aria-label="Sources">
        <Text element="h3" variant="h4">
          Sources
        </Text>
        <Text element="p" color="secondary">
          No data has arrived yet. Send a line, for example{' '}
          <code>echo &quot;servers.web1.cpu.user 42 $(date +%s)&quot; | nc worker-host 2003</code>.
        </Text>
      </section>
    );
  }
  // With few sources the freshest list already holds them all.
  if (total <= freshest.length) {
    return <SourceList title="Sources" sources={freshest} now={stats.time} />;
  }
  return (
    <div className={styles.columns}>
      <SourceList title="Freshest sources" sources={freshest} now={stats.time} />
      <SourceList title="Stalest sources" sources={stalest} now={stats.time} />
    </div>
  );
}

function SourceList({ title, sources, now }: { title: string; sources: SourceFreshness[]; now: number }) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-label={title}>
      <Text element="h3" variant="h4">
        {title}
      </Text>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Source</th>
            <th data-numeric>Series</th>
            <th>Newest sample</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.source}>
              <td>{s.source}</td>
              <td data-numeric>{formatCount(s.series)}</td>
              <td title={dateTimeFormat(s.lastSeen * 1000)}>
                <Badge text={formatAge(s.lastSeen, now)} color={FRESHNESS_COLOR[freshness(s.lastSeen, now)]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figures: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
    gap: theme.spacing(2),
    marginTop: theme.spacing(2),
  }),
  figure: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
  }),
  figureValue: css({ fontSize: theme.typography.h2.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  figureLabel: css({ color: theme.colors.text.secondary }),
  warn: css({ color: theme.colors.warning.text }),
  idle: css({ color: theme.colors.text.secondary }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      fontWeight: theme.typography.fontWeightRegular,
    },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    '[data-numeric]': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  }),
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))',
    gap: theme.spacing(3),
  }),
});
