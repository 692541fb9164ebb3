package mem

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) sink.Store { return New() })
}
