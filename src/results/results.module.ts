import { Module } from '@nestjs/common';
import { DatabaseResultStore } from './adapters/database-result-store.js';
import { FilesystemResultStore } from './adapters/filesystem-result-store.js';
import { ResultStore } from './result-store.port.js';
import { RoutingResultStore } from './routing-result-store.js';

@Module({
  providers: [DatabaseResultStore, FilesystemResultStore, { provide: ResultStore, useClass: RoutingResultStore }],
  exports: [ResultStore],
})
export class ResultsModule {}
