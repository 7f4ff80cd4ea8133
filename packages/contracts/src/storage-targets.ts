// Tenant storage targets, setup kit and connection test (issue 6).
export {};
