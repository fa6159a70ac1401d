import type { Logger } from 'pino';
import type { CheckpointSinks } from '../audit/export-checkpoint.js';
import type { Database } from '../db/open-database.js';
import type { ExpertContact } from '../db/schema.js';
import type { OutboundPolicy } from '../outbound/outbound-policy.js';
import type { NotificationChannels } from './notification-channel.js';

/** What the dispatch jobs need: the database, the clock, the channels and the reply links. */
export interface DispatchContext {
  readonly db: Database;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly channels: NotificationChannels;
  /** Used when an expert has no contact method (the log channel in development), else none. */
  readonly fallbackContact?: ExpertContact | undefined;
  /** Where reply links point: `<publicBaseUrl>/r/<token>`. */
  readonly publicBaseUrl: string;
  readonly replyLinkSecret: string;
  /** Most notifications one expert receives per hour; more are held back, not dropped. */
  readonly rateLimitPerHour?: number | undefined;
  /** Signs task callbacks (HMAC-SHA256 over timestamp + body). */
  readonly signingSecret: string;
  readonly callbackTimeoutMs: number;
  /** Internal targets allowed for callbacks and exports (`OUTBOUND_ALLOW_HOSTS`); none: all refused. */
  readonly outbound?: OutboundPolicy | undefined;
  /** Where audit checkpoints are exported (`AUDIT_CHECKPOINT_URL`, `AUDIT_CHECKPOINT_FILE`). */
  readonly auditCheckpointSinks?: CheckpointSinks | undefined;
}
