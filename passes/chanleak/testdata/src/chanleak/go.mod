module example.com/chanleak

go 1.25

require golang.org/x/sync v0.0.0

replace golang.org/x/sync => ./xsync
