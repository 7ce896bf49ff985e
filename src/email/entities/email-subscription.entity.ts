import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A tenant's address subscribed to job events. */
@Entity({ name: 'email_subscriptions' })
@Index('email_subscriptions_list_idx', ['tenant', 'createdAt', 'id'])
@Index('email_subscriptions_events_idx', ['events'], { type: 'gin' })
export class EmailSubscriptionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'email_subscriptions_pkey' })
  id: string;

  @Column('text')
  tenant: string;

  @Column('text')
  address: string;

  @Column('text', { array: true })
  events: string[];

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
