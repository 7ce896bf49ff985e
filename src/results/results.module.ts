import { Module } from '@nestjs/common';
import { DatabaseResultStore } from './adapters/database-result-store.js';
import { FilesystemResultStore } from './adapters/filesystem-result-store.js';
import { S3_RESULT_STORE_PROVIDER } from './adapters/s3-result-store.provider.js';
import { ResultRedirects } from './result-redirects.js';
import { ResultStore } from './result-store.port.js';
import { RoutingResultStore } from './routing-result-store.js';

@Module({
  providers: [
    DatabaseResultStore,
    FilesystemResultStore,
    S3_RESULT_STORE_PROVIDER,
    ResultRedirects,
    { provide: ResultStore, useClass: RoutingResultStore },
  ],
  exports: [ResultStore, ResultRedirects],
})
export class ResultsModule {}
