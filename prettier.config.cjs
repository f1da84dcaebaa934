// Prettier (XML, JS, CSS/SCSS, YAML, JSON, Markdown), as in OCA's addons repository
// template for 18.0. Settings missing here come from .editorconfig.
// The XML plugin is given as a resolved path: pre-commit installs it outside the
// repository, where Prettier would not find it by name (prettier/prettier#15388).

/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
