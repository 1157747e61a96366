package schema

import "fmt"

// Enum arguments with a default. graphql-go hands an argument with a
// default to a plain Go string as non-null, and a variable the request
// declares but leaves out arrives as null, not as the default: such a
// request failed with "got null for non-null". These arguments take a
// nullEnum instead, whose nil Value means "the default".

// enumName names the GraphQL enum a nullEnum stands for.
type enumName interface{ graphQLEnum() string }

// nullEnum is a nullable argument of the enum N names.
type nullEnum[N enumName] struct{ Value *string }

func (nullEnum[N]) ImplementsGraphQLType(name string) bool {
	var n N
	return name == n.graphQLEnum()
}

func (e *nullEnum[N]) UnmarshalGraphQL(input any) error {
	switch v := input.(type) {
	case nil:
		return nil
	case string:
		e.Value = &v
		return nil
	}
	var n N
	return fmt.Errorf("wrong type for %s: %T", n.graphQLEnum(), input)
}

// Nullable marks the type as nullable for graphql-go.
func (*nullEnum[N]) Nullable() {}

// or is the value, or def when the argument was left out or null.
func (e nullEnum[N]) or(def string) string {
	if e.Value == nil {
		return def
	}
	return *e.Value
}

type (
	directionEnum      struct{}
	brokerageGroupEnum struct{}
	periodEnum         struct{}
)

func (directionEnum) graphQLEnum() string      { return "Direction" }
func (brokerageGroupEnum) graphQLEnum() string { return "BrokerageGroup" }
func (periodEnum) graphQLEnum() string         { return "Period" }

type (
	nullDirection      = nullEnum[directionEnum]
	nullBrokerageGroup = nullEnum[brokerageGroupEnum]
	nullPeriod         = nullEnum[periodEnum]
)
