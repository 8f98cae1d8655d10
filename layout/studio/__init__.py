"""The page studio: `layout serve`, the page live in the browser (server, static client, YAML writer)."""
