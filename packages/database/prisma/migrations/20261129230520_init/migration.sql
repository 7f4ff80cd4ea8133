-- CreateEnum
CREATE TYPE "storage_mode" AS ENUM ('hosted', 'isolated');

-- CreateEnum
CREATE TYPE "storage_provider" AS ENUM ('aws', 's3_compatible');

-- CreateEnum
CREATE TYPE "storage_target_status" AS ENUM ('pending', 'verified', 'active', 'revoked', 'retired');

-- CreateEnum
CREATE TYPE "membership_role" AS ENUM ('member', 'admin');

-- CreateEnum
CREATE TYPE "staff_role" AS ENUM ('support', 'admin');

-- CreateEnum
CREATE TYPE "media_kind" AS ENUM ('video', 'image', 'audio', 'document', 'other');

-- CreateEnum
CREATE TYPE "media_status" AS ENUM ('uploading', 'uploaded', 'transcoding', 'ready', 'failed', 'deleted');

-- CreateEnum
CREATE TYPE "rendition_kind" AS ENUM ('thumbnail', 'poster', 'proxy', 'filmstrip', 'waveform', 'audio_proxy');

-- CreateEnum
CREATE TYPE "multipart_upload_status" AS ENUM ('open', 'completed', 'aborted');

-- CreateEnum
CREATE TYPE "migration_status" AS ENUM ('pending', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "audit_actor_kind" AS ENUM ('user', 'staff', 'system');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "link_lifetime_seconds" INTEGER NOT NULL DEFAULT 900,
    "max_upload_bytes" BIGINT,
    "delete_objects_enabled" BOOLEAN NOT NULL DEFAULT false,
    "active_target_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "storage_targets" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "mode" "storage_mode" NOT NULL,
    "provider" "storage_provider" NOT NULL,
    "endpoint" TEXT,
    "region" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "role_arn" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "status" "storage_target_status" NOT NULL DEFAULT 'pending',
    "last_check_at" TIMESTAMPTZ(3),
    "last_check_result" JSONB,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "storage_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "role" "membership_role" NOT NULL DEFAULT 'member',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_staff" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "staff_role" NOT NULL DEFAULT 'support',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "tenant_id" UUID,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "media" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "storage_target_id" UUID NOT NULL,
    "object_key" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "content_type" TEXT NOT NULL,
    "sha256" TEXT,
    "sha256_verified" TEXT,
    "kind" "media_kind" NOT NULL DEFAULT 'other',
    "status" "media_status" NOT NULL DEFAULT 'uploading',
    "failure_reason" TEXT,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "width" INTEGER,
    "height" INTEGER,
    "created_by_id" UUID,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "media_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "renditions" (
    "id" UUID NOT NULL,
    "media_id" UUID NOT NULL,
    "storage_target_id" UUID NOT NULL,
    "kind" "rendition_kind" NOT NULL,
    "object_key" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "duration_ms" INTEGER,
    "codec" TEXT,
    "content_type" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "renditions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "multipart_uploads" (
    "id" UUID NOT NULL,
    "media_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "storage_target_id" UUID NOT NULL,
    "upload_id" TEXT NOT NULL,
    "object_key" TEXT NOT NULL,
    "declared_size" BIGINT NOT NULL,
    "status" "multipart_upload_status" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "multipart_uploads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transcode_grants" (
    "id" UUID NOT NULL,
    "media_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "issued_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transcode_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" UUID NOT NULL,
    "job_name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "correlation_id" TEXT,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relayed_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "storage_migrations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "from_target_id" UUID NOT NULL,
    "to_target_id" UUID NOT NULL,
    "status" "migration_status" NOT NULL DEFAULT 'pending',
    "total_objects" INTEGER NOT NULL DEFAULT 0,
    "total_bytes" BIGINT NOT NULL DEFAULT 0,
    "copied_objects" INTEGER NOT NULL DEFAULT 0,
    "copied_bytes" BIGINT NOT NULL DEFAULT 0,
    "failed_objects" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_by_id" UUID,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "storage_migrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "actor_user_id" UUID,
    "actor_kind" "audit_actor_kind" NOT NULL,
    "action" TEXT NOT NULL,
    "purpose" TEXT,
    "session_name" TEXT,
    "storage_target_id" UUID,
    "object_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "ip" TEXT,
    "user_agent" TEXT,
    "details" JSONB,
    "correlation_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dismissed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_active_target_id_key" ON "tenants"("active_target_id");

-- CreateIndex
CREATE UNIQUE INDEX "storage_targets_external_id_key" ON "storage_targets"("external_id");

-- CreateIndex
CREATE INDEX "storage_targets_tenant_id_status_idx" ON "storage_targets"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "storage_targets_status_last_check_at_idx" ON "storage_targets"("status", "last_check_at");

-- CreateIndex
CREATE UNIQUE INDEX "storage_targets_id_tenant_id_key" ON "storage_targets"("id", "tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "memberships_tenant_id_idx" ON "memberships"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_user_id_tenant_id_key" ON "memberships"("user_id", "tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_staff_user_id_key" ON "platform_staff"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE INDEX "media_tenant_id_status_idx" ON "media"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "media_tenant_id_created_at_idx" ON "media"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "media_status_updated_at_idx" ON "media"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "media_storage_target_id_object_key_key" ON "media"("storage_target_id", "object_key");

-- CreateIndex
CREATE INDEX "renditions_storage_target_id_idx" ON "renditions"("storage_target_id");

-- CreateIndex
CREATE UNIQUE INDEX "renditions_media_id_kind_key" ON "renditions"("media_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "multipart_uploads_media_id_key" ON "multipart_uploads"("media_id");

-- CreateIndex
CREATE INDEX "multipart_uploads_upload_id_idx" ON "multipart_uploads"("upload_id");

-- CreateIndex
CREATE INDEX "multipart_uploads_tenant_id_status_idx" ON "multipart_uploads"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "multipart_uploads_status_created_at_idx" ON "multipart_uploads"("status", "created_at");

-- CreateIndex
CREATE INDEX "transcode_grants_media_id_expires_at_idx" ON "transcode_grants"("media_id", "expires_at");

-- CreateIndex
CREATE INDEX "transcode_grants_tenant_id_created_at_idx" ON "transcode_grants"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "outbox_messages_relayed_at_available_at_idx" ON "outbox_messages"("relayed_at", "available_at");

-- CreateIndex
CREATE INDEX "storage_migrations_tenant_id_created_at_idx" ON "storage_migrations"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "storage_migrations_status_idx" ON "storage_migrations"("status");

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_idx" ON "audit_events"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_actor_user_id_created_at_idx" ON "audit_events"("actor_user_id", "created_at");

-- CreateIndex
CREATE INDEX "notices_tenant_id_dismissed_at_created_at_idx" ON "notices"("tenant_id", "dismissed_at", "created_at");

-- AddForeignKey
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_active_target_id_fkey" FOREIGN KEY ("active_target_id") REFERENCES "storage_targets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "storage_targets" ADD CONSTRAINT "storage_targets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_staff" ADD CONSTRAINT "platform_staff_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_storage_target_id_tenant_id_fkey" FOREIGN KEY ("storage_target_id", "tenant_id") REFERENCES "storage_targets"("id", "tenant_id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "renditions" ADD CONSTRAINT "renditions_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "renditions" ADD CONSTRAINT "renditions_storage_target_id_fkey" FOREIGN KEY ("storage_target_id") REFERENCES "storage_targets"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_storage_target_id_tenant_id_fkey" FOREIGN KEY ("storage_target_id", "tenant_id") REFERENCES "storage_targets"("id", "tenant_id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcode_grants" ADD CONSTRAINT "transcode_grants_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcode_grants" ADD CONSTRAINT "transcode_grants_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "storage_migrations" ADD CONSTRAINT "storage_migrations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "storage_migrations" ADD CONSTRAINT "storage_migrations_from_target_id_tenant_id_fkey" FOREIGN KEY ("from_target_id", "tenant_id") REFERENCES "storage_targets"("id", "tenant_id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "storage_migrations" ADD CONSTRAINT "storage_migrations_to_target_id_tenant_id_fkey" FOREIGN KEY ("to_target_id", "tenant_id") REFERENCES "storage_targets"("id", "tenant_id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "storage_migrations" ADD CONSTRAINT "storage_migrations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checks Prisma's schema language cannot express (Prisma ignores CHECK constraints when diffing, so
-- they do not show up as drift).
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_link_lifetime_seconds_check" CHECK ("link_lifetime_seconds" > 0);
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_max_upload_bytes_check" CHECK ("max_upload_bytes" IS NULL OR "max_upload_bytes" > 0);
ALTER TABLE "media" ADD CONSTRAINT "media_progress_check" CHECK ("progress" BETWEEN 0 AND 100);
ALTER TABLE "media" ADD CONSTRAINT "media_size_bytes_check" CHECK ("size_bytes" >= 0);
ALTER TABLE "renditions" ADD CONSTRAINT "renditions_size_bytes_check" CHECK ("size_bytes" >= 0);
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_declared_size_check" CHECK ("declared_size" >= 0);
ALTER TABLE "storage_migrations" ADD CONSTRAINT "storage_migrations_targets_differ_check" CHECK ("from_target_id" <> "to_target_id");
