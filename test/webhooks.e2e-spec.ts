import { describeWebhookScenarios } from './webhooks.scenarios.js';

// Embedded profile: no REDIS_URL, so deliveries are claimed from the webhook_deliveries table.
describeWebhookScenarios({ name: 'table (embedded)', env: () => ({}) });
