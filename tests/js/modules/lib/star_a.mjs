export const shared = 'a';
export const onlyA = 1;
export default 'a-default';
