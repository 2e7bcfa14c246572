import { Module } from '@nestjs/common';

import { ReadinessController } from 'src/readiness/readiness.controller';
import { ReadinessRepository } from 'src/readiness/readiness.repository';
import { ReadinessService } from 'src/readiness/readiness.service';

@Module({
  controllers: [ReadinessController],
  providers: [ReadinessService, ReadinessRepository],
  exports: [ReadinessService],
})
export class ReadinessModule {}
