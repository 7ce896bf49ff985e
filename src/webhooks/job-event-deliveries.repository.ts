import { Injectable } from '@nestjs/common';
import type { JobEventTransaction } from '../jobs/job-event.js';
import type { QueuedDelivery } from '../notifications/delivery/delivery-queue.port.js';
import { CALLBACK_ENDPOINT } from './delivery/webhook-delivery-queue.repository.js';

export interface JobEventToDeliver {
  messageId: string;
  eventType: string;
  jobId: string;
  body: string;
  callbackUrl: string | null;
  /** The job's tenant: only that tenant's subscriptions receive the event. */
  tenant: string;
}

/** Turns job events into delivery rows, many events in one statement, inside the event relay's transaction. */
@Injectable()
export class JobEventDeliveriesRepository {
  /**
   * One row per enabled subscription of the job's tenant to each event, plus the job's own callbackUrl. Idempotent:
   * (message id, endpoint) is unique, so the same event enqueued twice adds nothing.
   */
  async enqueue(events: readonly JobEventToDeliver[], tx: JobEventTransaction): Promise<QueuedDelivery[]> {
    if (events.length === 0) return [];
    return tx.query<QueuedDelivery[]>(
      `WITH events AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS e(message_id text, event_type text, job_id uuid, body text, callback_url text, tenant text)
       ), targets AS (
         SELECT e.message_id, e.event_type, e.job_id, e.body, e.tenant, s.id AS subscription_id, s.id::text AS endpoint_key, s.url
           FROM events e JOIN webhook_subscriptions s ON s.enabled AND s.events @> ARRAY[e.event_type] AND s.tenant = e.tenant
         UNION ALL
         SELECT e.message_id, e.event_type, e.job_id, e.body, e.tenant, NULL::uuid, '${CALLBACK_ENDPOINT}', e.callback_url
           FROM events e WHERE e.callback_url IS NOT NULL
       )
       INSERT INTO webhook_deliveries (id, message_id, endpoint_key, subscription_id, url, event_type, job_id, body, status, next_attempt_at, tenant)
       SELECT gen_random_uuid(), message_id, endpoint_key, subscription_id, url, event_type, job_id, body, 'pending', now(), tenant FROM targets
       ON CONFLICT (message_id, endpoint_key) DO NOTHING
       RETURNING id, round`,
      [
        JSON.stringify(
          events.map((event) => ({
            message_id: event.messageId,
            event_type: event.eventType,
            job_id: event.jobId,
            body: event.body,
            callback_url: event.callbackUrl,
            tenant: event.tenant,
          })),
        ),
      ],
    );
  }
}
