// The peer in Skein's benchmarks: the same graph served by @neo4j/graphql
// (Apollo Server) from the same Neo4j, with type definitions a user of that
// library would write for Skein's data: one type per entity kind, one
// relationship field per link type and direction, and @cypher fields for
// what nested fields cannot express (ranked full-text search, paths, shared
// associates). Started by scripts/bench (go run ./scripts/bench).
//
//   NEO4J_URI=... NEO4J_USERNAME=... NEO4J_PASSWORD=... PORT=4100 node server.js
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const typeDefs = /* GraphQL */ `
  type Person @node(labels: ["Person", "Entity"]) {
    id: ID!
    name: String
    memberOf: [Organization!]! @relationship(type: "MEMBER_OF", direction: OUT)
    associates: [Person!]! @relationship(type: "ASSOCIATE_OF", direction: OUT, queryDirection: UNDIRECTED)
    family: [Person!]! @relationship(type: "FAMILY_OF", direction: OUT, queryDirection: UNDIRECTED)
    directorOf: [Company!]! @relationship(type: "DIRECTOR_OF", direction: OUT)
    owns: [Company!]! @relationship(type: "OWNS", direction: OUT)
    employedBy: [Company!]! @relationship(type: "EMPLOYED_BY", direction: OUT)
  }

  type Organization @node(labels: ["Organization", "Entity"]) {
    id: ID!
    name: String
    members: [Person!]! @relationship(type: "MEMBER_OF", direction: IN)
    supplies: [Organization!]! @relationship(type: "SUPPLIES", direction: OUT, queryDirection: UNDIRECTED)
    partOf: [Organization!]! @relationship(type: "PART_OF", direction: OUT, queryDirection: UNDIRECTED)
  }

  type Company @node(labels: ["Company", "Entity"]) {
    id: ID!
    name: String
    directors: [Person!]! @relationship(type: "DIRECTOR_OF", direction: IN)
    ownerPersons: [Person!]! @relationship(type: "OWNS", direction: IN)
    ownerCompanies: [Company!]! @relationship(type: "OWNS", direction: IN)
    ownedCompanies: [Company!]! @relationship(type: "OWNS", direction: OUT)
    employees: [Person!]! @relationship(type: "EMPLOYED_BY", direction: IN)
  }

  type Entity @node(labels: ["Entity"]) {
    id: ID!
    name: String
  }

  type Query {
    "Full-text candidates from Skein's own index, best Lucene score first."
    searchEntities(query: String!, first: Int!): [Entity!]!
      @cypher(
        statement: """
        CALL db.index.fulltext.queryNodes('entity_search', $query, {limit: $first}) YIELD node
        RETURN node
        """
        columnName: "node"
      )
    "Lengths of the shortest paths (at most 10) of at most 4 hops."
    pathLengths(from: ID!, to: ID!): [Int!]!
      @cypher(
        statement: """
        MATCH p = SHORTEST 10 (a:Entity {id: $from})-[]-{1,4}(b:Entity {id: $to})
        RETURN length(p) AS len
        """
        columnName: "len"
      )
    "Entities linked to both a and b."
    sharedAssociates(a: ID!, b: ID!): [Entity!]!
      @cypher(
        statement: """
        MATCH (x:Entity {id: $a})--(s:Entity)--(y:Entity {id: $b})
        WHERE s <> x AND s <> y
        WITH DISTINCT s ORDER BY s.id
        RETURN s
        """
        columnName: "s"
      )
  }
`;

const driver = neo4j.driver(
  process.env.NEO4J_URI,
  neo4j.auth.basic(process.env.NEO4J_USERNAME, process.env.NEO4J_PASSWORD),
  { maxConnectionPoolSize: 100 },
);
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const port = Number(process.env.PORT || 4100);
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port } });
console.log(`peer ready at ${url}`);

for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
