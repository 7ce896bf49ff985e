import { DeliveryQueue } from '../../notifications/delivery/delivery-queue.port.js';

/** The Bull queue of webhook deliveries (REDIS_URL set). */
export const WEBHOOK_QUEUE = 'webhook-deliveries';

/** The webhook channel's delivery queue (the injection token; the adapter is chosen in delivery-queue.providers.ts). */
export abstract class WebhookDeliveryQueue extends DeliveryQueue {}
