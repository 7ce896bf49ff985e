export const DatabaseTargetToken = Symbol('DatabaseTarget');
