package graph

import (
	"context"
	"errors"
	"fmt"
)

// ContextErr is ctx's error as the domain reports it: nil while ctx is
// live; a passed deadline wraps ErrTimeout (and context.DeadlineExceeded),
// so errors.Is finds either; a cancellation is ctx.Err() itself. The
// stores and the importers that check a context as they go share it.
func ContextErr(ctx context.Context) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}
