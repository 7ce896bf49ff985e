/** Plain data of the email channel (mapped from rows in its repositories). */
export interface EmailSubscription {
  id: string;
  tenant: string;
  address: string;
  events: string[];
  createdAt: Date;
}

/** An email delivery claimed for one attempt, with what is needed to send it. */
export interface EmailToSend {
  id: string;
  round: number;
  roundAttempts: number;
  messageId: string;
  eventType: string;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string;
}

export type EmailAttemptOutcome = 'delivered' | 'retry' | 'failed';
