package store_test

import (
	"os"
	"testing"

	"github.com/wirewatch/wirewatch/store/storetest"
)

// The store suite runs on SQLite, and on PostgreSQL when its DSN is set.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
