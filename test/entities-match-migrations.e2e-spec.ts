import { DataSource } from 'typeorm';
import { migrate } from '../src/database/migrate.js';
import { typeOrmOptions } from '../src/database/typeorm-options.js';
import { ENTITIES } from '../src/entities.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './support/database.js';

/**
 * The migrations build the schema and the entities describe it: TypeORM's schema diff between the
 * two must be empty, and every table must have an entity. A change to one without the other fails here.
 */
describe('TypeORM entities and migrations agree', () => {
  let schema: TestSchema;
  let dataSource: DataSource;

  async function pendingChanges(): Promise<string[]> {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  }

  beforeAll(async () => {
    schema = await createTestSchema('entities');
    await migrate({ url: TEST_DATABASE_URL, schema: schema.name });
    dataSource = new DataSource(
      typeOrmOptions({ url: TEST_DATABASE_URL, schema: schema.name }, 2, undefined, ENTITIES),
    );
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await schema.drop();
  });

  it('finds nothing to change after migrating', async () => {
    expect(await pendingChanges()).toEqual([]);
  });

  it('has an entity for every table the migrations create', async () => {
    const tables = await schema.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'schema_migrations' ORDER BY 1`,
      [schema.name],
    );
    const described = dataSource.entityMetadatas.map((metadata) => metadata.tableName).sort();
    expect(tables.map((table) => table.table_name)).toEqual(described);
  });

  it('sees a schema that drifted from the entities', async () => {
    await schema.query(`ALTER TABLE jobs ALTER COLUMN callback_url SET NOT NULL`);
    await schema.query(`DROP INDEX job_outbox_unsent_idx`);
    try {
      const changes = await pendingChanges();
      expect(changes).toEqual(
        expect.arrayContaining([
          expect.stringContaining('"callback_url" DROP NOT NULL'),
          expect.stringContaining('job_outbox_unsent_idx'),
        ]),
      );
    } finally {
      await schema.query(`ALTER TABLE jobs ALTER COLUMN callback_url DROP NOT NULL`);
      await schema.query(
        `CREATE INDEX job_outbox_unsent_idx ON job_outbox (id) WHERE sent_at IS NULL`,
      );
    }
  });
});
