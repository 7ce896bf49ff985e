import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** An API key created through the admin API; only its digest is kept. */
@Entity({ name: 'api_keys' })
@Check('api_keys_role_check', `role = ANY (ARRAY['admin'::text, 'submitter'::text, 'reader'::text])`)
@Unique('api_keys_digest_key', ['digest'])
@Index('api_keys_label_uq', ['label'], { unique: true })
@Index('api_keys_list_idx', ['createdAt', 'id'])
export class ApiKeyEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'api_keys_pkey' })
  id: string;

  @Column('text')
  label: string;

  @Column('text')
  role: string;

  @Column('text')
  tenant: string;

  @Column('bytea')
  digest: Buffer;

  @Column('text', { name: 'created_by' })
  createdBy: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
