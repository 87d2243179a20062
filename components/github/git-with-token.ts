/** git with GITHUB_TOKEN in a header, never in the URL git prints: for a build's clone or fetch of the repository. */
export const gitWithToken = `git -c "http.extraHeader=Authorization: Basic $(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 | tr -d '\\n')"`;
