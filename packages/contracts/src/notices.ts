// In-app notices for tenant admins (revocation, migrations; issue 6).
export {};
