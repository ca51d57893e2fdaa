# parallel::mclapply with 2 forked workers: the master holds a 200 MB vector the workers read
# (shared copy-on-write), each task sorts a fresh 120 MB vector and returns one number.
library(parallel)
big <- runif(25e6)
task <- function(i) {
    x <- rnorm(15e6) + big[i]
    s <- sort(x)
    sum(s[seq(1, length(s), by = 1000)]) + sum(big[seq(i, length(big), by = 97)])
}
res <- mclapply(1:12, task, mc.cores = 2)
cat("r-mclapply:", length(res), "results, all numeric:", all(vapply(res, is.numeric, logical(1))), "\n")
quit(status = 0)
