print("promkit")
