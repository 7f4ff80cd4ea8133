-- CreateEnum
CREATE TYPE "migration_item_status" AS ENUM ('pending', 'verified', 'switched', 'failed', 'skipped');

-- AlterTable
ALTER TABLE "storage_migrations" ADD COLUMN     "delete_sources" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "delete_sources_after" TIMESTAMPTZ(3),
ADD COLUMN     "sources_deleted_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "storage_targets" ADD COLUMN     "next_check_at" TIMESTAMPTZ(3),
ADD COLUMN     "recheck_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "status_before_revocation" "storage_target_status";

-- CreateTable
CREATE TABLE "storage_migration_items" (
    "id" UUID NOT NULL,
    "migration_id" UUID NOT NULL,
    "media_id" UUID NOT NULL,
    "status" "migration_item_status" NOT NULL DEFAULT 'pending',
    "objects" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "switched_at" TIMESTAMPTZ(3),
    "source_deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "storage_migration_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "storage_migration_items_migration_id_status_idx" ON "storage_migration_items"("migration_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "storage_migration_items_migration_id_media_id_key" ON "storage_migration_items"("migration_id", "media_id");

-- AddForeignKey
ALTER TABLE "storage_migration_items" ADD CONSTRAINT "storage_migration_items_migration_id_fkey" FOREIGN KEY ("migration_id") REFERENCES "storage_migrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
