// The paper-reproduction page uses the researcher shell (header, sign-out, styles).
export { default } from "../studies/layout";
