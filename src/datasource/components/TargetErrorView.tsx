import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';

import type { TargetError } from '../frames';

interface Props {
  error: TargetError;
}

/** The worker's message for a target, with the character it points at marked in the text it evaluated. */
export function TargetErrorView({ error }: Props) {
  const styles = useStyles2(getStyles);
  const { message, position, target } = error;
  const marked = position !== undefined && target !== undefined && position <= target.length;
  return (
    <Alert severity="error" title="The worker could not run this query">
      <div>{message}</div>
      {marked && (
        <pre className={styles.target} aria-label="Where the error is">
          {target.slice(0, position)}
          <mark className={styles.mark}>{target.slice(position, position + 1) || ' '}</mark>
          {target.slice(position + 1)}
        </pre>
      )}
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  target: css({
    marginTop: theme.spacing(1),
    marginBottom: 0,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  }),
  mark: css({
    background: theme.colors.error.main,
    color: theme.colors.error.contrastText,
    borderRadius: theme.shape.radius.default,
    padding: '0 1px',
  }),
});
