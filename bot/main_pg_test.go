package bot_test

import (
	"os"
	"testing"

	"github.com/wirewatch/wirewatch/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
