package matrix

import (
	"context"
	"sync"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
)

// syncStore keeps the sync token in the client's Store, so that a restart
// resumes where the last sync ended. The filter id lives in memory: the
// filter is created anew at each start, so a changed filter takes effect.
type syncStore struct {
	c        *Client
	mu       sync.Mutex
	filterID string
}

var _ mautrix.SyncStore = (*syncStore)(nil)

func (s *syncStore) SaveFilterID(_ context.Context, _ id.UserID, filterID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.filterID = filterID
	return nil
}

func (s *syncStore) LoadFilterID(context.Context, id.UserID) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filterID, nil
}

func (s *syncStore) SaveNextBatch(ctx context.Context, userID id.UserID, token string) error {
	return s.c.st.SaveMatrixSyncToken(ctx, string(userID), token, s.c.now())
}

func (s *syncStore) LoadNextBatch(ctx context.Context, userID id.UserID) (string, error) {
	return s.c.st.MatrixSyncToken(ctx, string(userID))
}
