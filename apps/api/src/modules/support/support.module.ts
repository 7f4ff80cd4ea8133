import { Module } from '@nestjs/common';

/** Platform staff: tenants overview and time-boxed support grants for hosted tenants. */
@Module({})
export class SupportModule {}
