import React, { useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Icon, Input, Tab, TabsBar, Text, useStyles2 } from '@grafana/ui';

import type { MissionControlClient } from '../../api/client';
import type { CompleterNode, FindNode } from '../../api/graphite';
import { useLoad } from '../../utils/useLoad';

interface Props {
  client: MissionControlClient;
  /** A path (or path glob) was chosen as the series. */
  onSelectPath: (path: string) => void;
  /** A tag value was chosen: the series having it. */
  onSelectTag: (tag: string, value: string) => void;
}

/** How deep a name search looks: paths are rarely deeper, and each level is one request. */
const SEARCH_DEPTH = 6;
/** Enough to scan by eye; a longer list asks for a narrower search. */
const MAX_SHOWN = 200;

const GLOB_CHARS = /[*?[\]{}.]/;

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * The series in the worker, two ways: the path tree of plain Graphite names (servers › web1 › cpu › user), and the
 * tags of tagged series (statsd's DogStatsD tags, `name;k=v` lines) with their values. Both are searchable.
 */
export function MetricBrowser({ client, onSelectPath, onSelectTag }: Props) {
  const styles = useStyles2(getStyles);
  const [tab, setTab] = useState<'paths' | 'tags'>('paths');
  const [search, setSearch] = useState('');
  return (
    <section className={styles.browser} aria-label="Metric browser">
      <TabsBar>
        <Tab label="Paths" active={tab === 'paths'} onChangeTab={() => setTab('paths')} />
        <Tab label="Tags" active={tab === 'tags'} onChangeTab={() => setTab('tags')} />
      </TabsBar>
      <div className={styles.body}>
        <Input
          prefix={<Icon name="search" />}
          aria-label="Search the metric browser"
          placeholder={
            tab === 'paths' ? 'Search names (cpu) or type a glob (servers.web*.cpu.*)' : 'Search tags and their values'
          }
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        {tab === 'paths' ? (
          <PathTree client={client} search={search.trim()} onSelect={onSelectPath} onOpen={() => setSearch('')} />
        ) : (
          <TagTree client={client} search={search.trim()} onSelect={onSelectTag} />
        )}
      </div>
    </section>
  );
}

interface Entry {
  path: string;
  label: string;
  leaf: boolean;
}

function fromFind(nodes: FindNode[]): Entry[] {
  return nodes.map((node) => ({ path: node.id, label: node.text, leaf: node.leaf === 1 }));
}

function fromCompleter(nodes: CompleterNode[]): Entry[] {
  return nodes.map((node) => {
    const path = node.path.endsWith('.') ? node.path.slice(0, -1) : node.path;
    return { path, label: path, leaf: node.is_leaf === '1' };
  });
}

/**
 * A word is looked for in every node up to SEARCH_DEPTH levels down (`*cpu*`, `*.*cpu*`, ...); text with glob
 * characters or dots is a glob already.
 */
async function searchPaths(client: MissionControlClient, term: string): Promise<Entry[]> {
  if (GLOB_CHARS.test(term)) {
    return fromFind(await client.findMetrics(term));
  }
  const levels = Array.from({ length: SEARCH_DEPTH }, (_, depth) => `${'*.'.repeat(depth)}*${term}*`);
  const answers = await Promise.all(levels.map((pattern) => client.completeMetrics(pattern)));
  return fromCompleter(answers.flat());
}

interface PathTreeProps {
  client: MissionControlClient;
  search: string;
  onSelect: (path: string) => void;
  onOpen: () => void;
}

function PathTree({ client, search, onSelect, onOpen }: PathTreeProps) {
  const styles = useStyles2(getStyles);
  const [prefix, setPrefix] = useState<string[]>([]);
  const pattern = prefix.length > 0 ? `${prefix.join('.')}.*` : '*';
  const listing = useLoad<Entry[]>(
    async () => (search !== '' ? searchPaths(client, search) : fromFind(await client.findMetrics(pattern))),
    `${pattern}\n${search}`
  );
  const open = (path: string) => {
    setPrefix(path.split('.'));
    onOpen();
  };
  const entries = listing.value ?? [];
  return (
    <>
      {search === '' && (
        <div className={styles.crumbs} aria-label="Path">
          <button type="button" className={styles.crumb} onClick={() => setPrefix([])}>
            All series
          </button>
          {prefix.map((node, i) => (
            <React.Fragment key={`${i}:${node}`}>
              <Icon name="angle-right" />
              <button type="button" className={styles.crumb} onClick={() => setPrefix(prefix.slice(0, i + 1))}>
                {node}
              </button>
            </React.Fragment>
          ))}
          {prefix.length > 0 && (
            <Button size="sm" variant="secondary" className={styles.use} onClick={() => onSelect(pattern)}>
              Use {pattern}
            </Button>
          )}
        </div>
      )}
      <Listing loading={listing.loading} error={listing.error} count={entries.length} noun="path" search={search}>
        {entries.slice(0, MAX_SHOWN).map((entry) => (
          <li key={`${entry.path}:${entry.leaf}`}>
            {entry.leaf ? (
              <button type="button" className={styles.item} onClick={() => onSelect(entry.path)}>
                <Icon name="chart-line" className={styles.icon} />
                {entry.label}
              </button>
            ) : (
              <button
                type="button"
                className={styles.item}
                aria-label={`Open ${entry.path}`}
                onClick={() => open(entry.path)}
              >
                <Icon name="folder" className={styles.icon} />
                {entry.label}
                <Icon name="angle-right" />
              </button>
            )}
          </li>
        ))}
      </Listing>
    </>
  );
}

interface TagTreeProps {
  client: MissionControlClient;
  search: string;
  onSelect: (tag: string, value: string) => void;
}

function TagTree({ client, search, onSelect }: TagTreeProps) {
  const styles = useStyles2(getStyles);
  const [tag, setTag] = useState<string>();
  const filter = search === '' ? undefined : `.*${escapeRegex(search)}`;
  const listing = useLoad(
    async () =>
      tag === undefined
        ? (await client.tags(filter)).map((t) => ({ value: t.tag, count: undefined }))
        : (await client.tagDetails(tag, filter)).values,
    `${tag ?? ''}\n${search}`
  );
  const entries = listing.value ?? [];
  return (
    <>
      <div className={styles.crumbs} aria-label="Tag">
        <button type="button" className={styles.crumb} onClick={() => setTag(undefined)}>
          All tags
        </button>
        {tag !== undefined && (
          <>
            <Icon name="angle-right" />
            <span className={cx(styles.crumb, styles.current)}>{tag}</span>
          </>
        )}
      </div>
      <Listing
        loading={listing.loading}
        error={listing.error}
        count={entries.length}
        noun={tag === undefined ? 'tag' : 'value'}
        search={search}
      >
        {entries.slice(0, MAX_SHOWN).map((entry) => (
          <li key={entry.value}>
            {tag === undefined ? (
              <button
                type="button"
                className={styles.item}
                aria-label={`Open tag ${entry.value}`}
                onClick={() => setTag(entry.value)}
              >
                <Icon name="tag-alt" className={styles.icon} />
                {entry.value}
                <Icon name="angle-right" />
              </button>
            ) : (
              <button type="button" className={styles.item} onClick={() => onSelect(tag, entry.value)}>
                <Icon name="chart-line" className={styles.icon} />
                {entry.value}
                {entry.count !== undefined && <span className={styles.count}>{entry.count} series</span>}
              </button>
            )}
          </li>
        ))}
      </Listing>
    </>
  );
}

interface ListingProps {
  loading: boolean;
  error?: string;
  count: number;
  noun: string;
  search: string;
  children: React.ReactNode;
}

function Listing({ loading, error, count, noun, search, children }: ListingProps) {
  const styles = useStyles2(getStyles);
  if (error) {
    return <Text color="error">The worker could not list them: {error}</Text>;
  }
  if (loading && count === 0) {
    return <Text color="secondary">Loading…</Text>;
  }
  if (count === 0) {
    return <Text color="secondary">{search === '' ? `No ${noun} here.` : `No ${noun} matches “${search}”.`}</Text>;
  }
  return (
    <>
      <ul className={styles.list} aria-label={`${noun}s`} aria-busy={loading}>
        {children}
      </ul>
      {count > MAX_SHOWN && (
        <Text color="secondary">
          {MAX_SHOWN} of {count} shown; search to narrow them down.
        </Text>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  browser: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
  body: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), padding: theme.spacing(1) }),
  crumbs: css({ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  crumb: css({
    border: 'none',
    background: 'none',
    padding: 0,
    color: theme.colors.text.link,
    fontFamily: theme.typography.fontFamilyMonospace,
  }),
  current: css({ color: theme.colors.text.primary }),
  use: css({ marginLeft: 'auto' }),
  list: css({ listStyle: 'none', margin: 0, maxHeight: 260, overflowY: 'auto' }),
  item: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    border: 'none',
    background: 'none',
    textAlign: 'left',
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamilyMonospace,
    padding: theme.spacing(0.25, 0.5),
    borderRadius: theme.shape.radius.default,
    '&:hover, &:focus': { background: theme.colors.action.hover, outline: 'none' },
  }),
  icon: css({ color: theme.colors.text.secondary }),
  count: css({ marginLeft: 'auto', color: theme.colors.text.secondary, fontFamily: theme.typography.fontFamily }),
});
