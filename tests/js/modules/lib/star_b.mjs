export const shared = 'b';
export const onlyB = 2;
