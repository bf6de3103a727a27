// opencc-js ships each dictionary as its own ES module ("src dst|src dst") without a declaration.
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
