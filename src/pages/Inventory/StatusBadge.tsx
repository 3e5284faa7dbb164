import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';

import type { AliasStatus, ApplicationLifecycle, ServerStatus } from '../../shared/api';

/** Pending is the state someone has to act on (the hostmaster), so it is the one that stands out. */
const COLORS: Record<AliasStatus | ServerStatus | ApplicationLifecycle, BadgeColor> = {
  pending: 'orange',
  active: 'green',
  deprecated: 'darkgrey',
  planned: 'blue',
  development: 'blue',
  production: 'green',
  maintenance: 'orange',
  retired: 'darkgrey',
};

export function StatusBadge({ status }: { status: AliasStatus | ServerStatus | ApplicationLifecycle }) {
  return <Badge text={status} color={COLORS[status]} />;
}
