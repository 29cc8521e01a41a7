package matrix_test

import (
	"github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/store"
)

// The store keeps the Matrix client's session and encryption state.
var _ matrix.Store = (*store.DB)(nil)
