export * from './domain/roles';
export * from './domain/policy';
export * from './domain/area';
export * from './domain/phone';
export * from './errors/error-codes';
export * from './schemas/auth.schemas';
export * from './schemas/compound.schemas';
export * from './api/api.types';
