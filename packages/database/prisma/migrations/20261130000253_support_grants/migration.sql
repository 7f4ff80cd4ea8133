-- CreateTable
CREATE TABLE "support_grants" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "granted_by_id" UUID,
    "reason" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "support_grants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "support_grants_tenant_id_expires_at_idx" ON "support_grants"("tenant_id", "expires_at");

-- CreateIndex
CREATE INDEX "support_grants_tenant_id_created_at_idx" ON "support_grants"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Checks Prisma's schema language cannot express (Prisma ignores CHECK constraints when diffing).
-- A support grant is time-boxed: it ends after it starts and lasts at most 24 hours.
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_window_check" CHECK ("expires_at" > "created_at" AND "expires_at" <= "created_at" + INTERVAL '24 hours');
-- Whoever revoked it is named only on a revoked grant (the name may later be cleared: users are deletable).
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_revoked_check" CHECK ("revoked_by_id" IS NULL OR "revoked_at" IS NOT NULL);
