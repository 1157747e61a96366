// GraphiQL, bundled with the UI so /graphiql loads nothing from the internet.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

const defaultQuery = `# Skein GraphQL API. Try:
query Krasniqi {
  search(query: "krasniqi", first: 5) {
    totalCount
    nodes { id kind name sanctioned }
  }
}
`;

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(<GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />);
}
