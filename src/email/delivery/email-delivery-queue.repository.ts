import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobEventTransaction } from '../../jobs/job-event.js';
import type { DeliveryRows, QueuedDelivery, StartRequest } from '../../notifications/delivery/delivery-queue.port.js';
import type { EmailToSend } from '../email.types.js';

/** NOTIFY channel: new rows in email_deliveries (table adapter). */
export const EMAIL_DELIVERIES_CHANNEL = 'longhaul_emails';

/** Claims and outcomes commit asynchronously: a crash loses at most a resend (at least once, like webhooks). */
const ASYNC_COMMIT = `async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)`;
const TO_SEND = `id, round, round_attempts, message_id, event_type, recipient, subject, text_body, html_body`;

/** One rendered email of a job event, to the job's own addresses and to the tenant's subscribers. */
export interface EmailToEnqueue {
  messageId: string;
  eventType: string;
  jobId: string;
  tenant: string;
  subject: string;
  text: string;
  html: string;
  /** The job's own `notify` addresses wanting this event. */
  jobAddresses: string[];
}

/**
 * email_deliveries as a queue, the same statements as the webhook queue's: enqueued (in the event
 * relay's transaction), claimed or started, released. Every time is the database's clock.
 */
@Injectable()
export class EmailDeliveryQueueRepository implements DeliveryRows<EmailToSend> {
  constructor(private readonly db: DataSource) {}

  /**
   * One row per recipient: the job's addresses plus every subscription of the job's tenant to the event.
   * (message id, recipient) is unique, so an address named twice, or the same event relayed twice, sends once.
   */
  async enqueue(emails: readonly EmailToEnqueue[], tx: JobEventTransaction): Promise<QueuedDelivery[]> {
    if (emails.length === 0) return [];
    return tx.query<QueuedDelivery[]>(
      `WITH emails AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS e(message_id text, event_type text, job_id uuid, tenant text, subject text, text_body text, html_body text, job_addresses text[])
       ), targets AS (
         SELECT e.*, NULL::uuid AS subscription_id, a.address AS recipient FROM emails e CROSS JOIN LATERAL unnest(e.job_addresses) AS a(address)
         UNION ALL
         SELECT e.*, s.id, s.address FROM emails e JOIN email_subscriptions s ON s.tenant = e.tenant AND s.events @> ARRAY[e.event_type]
       )
       INSERT INTO email_deliveries (id, tenant, message_id, subscription_id, recipient, event_type, job_id, subject, text_body, html_body,
                                     status, next_attempt_at)
       SELECT gen_random_uuid(), tenant, message_id, subscription_id, recipient, event_type, job_id, subject, text_body, html_body, 'pending', now()
         FROM targets
       ON CONFLICT (message_id, recipient) DO NOTHING
       RETURNING id, round`,
      [
        JSON.stringify(
          emails.map((email) => ({
            message_id: email.messageId,
            event_type: email.eventType,
            job_id: email.jobId,
            tenant: email.tenant,
            subject: email.subject,
            text_body: email.text,
            html_body: email.html,
            job_addresses: email.jobAddresses,
          })),
        ),
      ],
    );
  }

  async claimDue(limit: number, leaseMs: number, workerId: string): Promise<EmailToSend[]> {
    const rows = await this.db.query<Row[]>(
      `WITH due AS (
         SELECT id FROM email_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), abandoned AS (
         SELECT id FROM email_deliveries WHERE status = 'delivering' AND locked_until < now()
          ORDER BY locked_until LIMIT greatest($1 - (SELECT count(*) FROM due), 0) FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE email_deliveries d SET status = 'delivering', attempts = d.attempts + 1, round_attempts = d.round_attempts + 1,
           locked_until = now() + make_interval(secs => $2::float8 / 1000), locked_by = $3, updated_at = now()
         WHERE d.id IN (SELECT id FROM due UNION ALL SELECT id FROM abandoned)
         RETURNING ${TO_SEND}
       ), ${ASYNC_COMMIT}
       SELECT claimed.* FROM claimed CROSS JOIN async_commit`,
      [limit, leaseMs, workerId],
    );
    return rows.map(toSend);
  }

  async releaseClaims(ids: readonly string[], workerId: string): Promise<void> {
    await this.db.query(
      `UPDATE email_deliveries SET status = 'pending', attempts = attempts - 1, round_attempts = round_attempts - 1,
         locked_until = NULL, locked_by = NULL, next_attempt_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status = 'delivering' AND locked_by = $2`,
      [ids, workerId],
    );
  }

  async nextDueInMs(): Promise<number | null> {
    const rows = await this.db.query<Array<{ ms: number | null }>>(
      `WITH next AS (
         SELECT least((SELECT min(next_attempt_at) FROM email_deliveries WHERE status = 'pending'),
                      (SELECT min(locked_until) FROM email_deliveries WHERE status = 'delivering')) AS at
       )
       SELECT CASE WHEN at IS NULL THEN NULL ELSE greatest(0, extract(epoch FROM at - clock_timestamp()) * 1000)::float8 END AS ms FROM next`,
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : Number(ms);
  }

  async startAttempts(requests: readonly StartRequest[]): Promise<EmailToSend[]> {
    const rows = await this.db.query<Row[]>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS t(id uuid, round int, round_attempt int)
       ), started AS (
         UPDATE email_deliveries d SET status = 'delivering', attempts = d.attempts + 1, round_attempts = i.round_attempt, updated_at = now()
           FROM input i
          WHERE d.id = i.id AND d.round = i.round AND d.status IN ('pending', 'delivering')
          RETURNING d.id, d.round, d.round_attempts, d.message_id, d.event_type, d.recipient, d.subject, d.text_body, d.html_body
       ), ${ASYNC_COMMIT}
       SELECT started.* FROM started CROSS JOIN async_commit`,
      [JSON.stringify(requests.map((request) => ({ id: request.id, round: request.round, round_attempt: request.roundAttempt })))],
    );
    return rows.map(toSend);
  }

  async markHandedOff(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`UPDATE email_deliveries SET handed_off = true WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async findNotHandedOff(olderThanMs: number, limit: number): Promise<QueuedDelivery[]> {
    return await this.db.query<QueuedDelivery[]>(
      `SELECT id, round FROM email_deliveries
        WHERE status = 'pending' AND NOT handed_off AND created_at < now() - make_interval(secs => $1::float8 / 1000)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  async findStuckHandedOff(staleMs: number, limit: number): Promise<QueuedDelivery[]> {
    return await this.db.query<QueuedDelivery[]>(
      `(SELECT id, round FROM email_deliveries
         WHERE status = 'delivering' AND handed_off AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
         ORDER BY locked_until LIMIT $2)
       UNION ALL
       (SELECT id, round FROM email_deliveries
         WHERE status = 'pending' AND handed_off AND next_attempt_at < now() - make_interval(secs => $1::float8 / 1000)
         ORDER BY next_attempt_at LIMIT $2)`,
      [staleMs, limit],
    );
  }
}

type Row = Record<string, unknown>;

function toSend(row: Row): EmailToSend {
  return {
    id: row.id as string,
    round: Number(row.round),
    roundAttempts: Number(row.round_attempts),
    messageId: row.message_id as string,
    eventType: row.event_type as string,
    recipient: row.recipient as string,
    subject: row.subject as string,
    textBody: row.text_body as string,
    htmlBody: row.html_body as string,
  };
}
