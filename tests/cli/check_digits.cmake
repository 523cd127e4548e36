# Fails, saying what to do, when the MNIST digits (one JSON file per class) are not in DIR.
foreach(digit RANGE 9)
  if(NOT EXISTS "${DIR}/${digit}.json")
    message(FATAL_ERROR "the MNIST digits are missing at ${DIR} (no ${digit}.json): "
                        "run datasets/fetch_mnist.sh")
  endif()
endforeach()
